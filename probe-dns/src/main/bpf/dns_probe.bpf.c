// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * DNS responses as the sockets of every cgroup receive them, whatever resolver library asked.
 *
 * lt_dns_ingress (cgroup_skb/ingress on the cgroup v2 root) runs for every packet delivered to any
 * socket of the host, in every network namespace. It returns at once unless the packet is UDP (or
 * TCP) from port 53, and then copies the payload, bounded, with the receiving socket's cgroup and
 * cookie into the ring. It always lets the packet through.
 *
 * The packet arrives in softirq, where the current task is not the one that asked. The sock_addr
 * hooks (connect4/6, sendmsg4/6 to port 53) run in the asking task: they remember it per socket
 * cookie, and the ingress program joins the response to it by the same cookie.
 */
#include <lanthorn/bpf_base.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "dns_event.h"

/* Kernel structs, only the fields read; CO-RE relocates them against the running kernel's BTF. */
struct kernfs_node {
	const char *name;
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct task_struct {
	struct css_set *cgroups;
} __attribute__((preserve_access_index));

struct __sk_buff {
	__u32 len;
	__u32 pkt_type;
	__u32 mark;
	__u32 queue_mapping;
	__u32 protocol;
	__u32 vlan_present;
	__u32 vlan_tci;
	__u32 vlan_proto;
	__u32 priority;
	__u32 ingress_ifindex;
	__u32 ifindex;
	__u32 tc_index;
	__u32 cb[5];
	__u32 hash;
	__u32 tc_classid;
	__u32 data;
	__u32 data_end;
	__u32 napi_id;
	__u32 family;
	__u32 remote_ip4;
	__u32 local_ip4;
	__u32 remote_ip6[4];
	__u32 local_ip6[4];
	__u32 remote_port;
	__u32 local_port;
};

struct bpf_sock_addr {
	__u32 user_family;
	__u32 user_ip4;
	__u32 user_ip6[4];
	__u32 user_port;
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 msg_src_ip4;
	__u32 msg_src_ip6[4];
};

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17

/* Set by user space before load. */
const volatile __u64 wakeup_threshold = 256 << 10;

/* For RecordLayoutTest: puts the record types into the object's BTF. Never read. */
const struct dns_response lt_dns_response_layout = {};
const struct dns_owner lt_dns_owner_layout = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} lt_dns_events SEC(".maps");

/* Query senders by socket cookie; an LRU, since sockets close without telling us. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct dns_owner);
} lt_dns_owners SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct dns_counters);
} lt_dns_counters SEC(".maps");

static __always_inline struct dns_counters *counters(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&lt_dns_counters, &zero);
}

struct ports {
	__be16 source;
	__be16 dest;
};

SEC("cgroup_skb/ingress")
int lt_dns_ingress(struct __sk_buff *skb)
{
	__u8 server[16] = {};
	__u32 transport_offset;
	__u8 family, transport;
	struct ports ports;

	/* The data starts at the network header. */
	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		__u8 ip[20];
		if (bpf_skb_load_bytes(skb, 0, ip, sizeof(ip)))
			return 1;
		transport = ip[9];
		if (transport != IPPROTO_UDP && transport != IPPROTO_TCP)
			return 1;
		/* A fragment other than the first carries no ports. */
		if (((ip[6] & 0x1f) | ip[7]) != 0)
			return 1;
		transport_offset = (ip[0] & 0x0f) * 4;
		__builtin_memcpy(server, &ip[12], 4);
		family = 4;
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		__u8 ip[40];
		if (bpf_skb_load_bytes(skb, 0, ip, sizeof(ip)))
			return 1;
		/* Extension headers are not followed: DNS responses do not use them. */
		transport = ip[6];
		if (transport != IPPROTO_UDP && transport != IPPROTO_TCP)
			return 1;
		transport_offset = 40;
		__builtin_memcpy(server, &ip[8], 16);
		family = 6;
	} else {
		return 1;
	}
	if (bpf_skb_load_bytes(skb, transport_offset, &ports, sizeof(ports)))
		return 1;
	if (ports.source != bpf_htons(DNS_PORT))
		return 1;

	__u32 payload_offset;
	if (transport == IPPROTO_UDP) {
		payload_offset = transport_offset + 8;
	} else {
		__u8 doff;
		if (bpf_skb_load_bytes(skb, transport_offset + 12, &doff, 1))
			return 1;
		payload_offset = transport_offset + (doff >> 4) * 4;
	}
	if (payload_offset >= skb->len)
		return 1; /* a bare TCP ACK or FIN */
	__u32 packet_payload = skb->len - payload_offset;

	struct dns_counters *count = counters();
	if (!count)
		return 1;
	count->responses++;

	struct dns_response *r = bpf_ringbuf_reserve(&lt_dns_events, sizeof(*r), 0);
	if (!r) {
		count->ring_full++;
		return 1;
	}
	__u32 copy = packet_payload;
	if (copy > DNS_MAX_PAYLOAD) {
		copy = DNS_MAX_PAYLOAD;
		count->truncated++;
	}
	/* The verifier needs 1 <= copy <= DNS_MAX_PAYLOAD in the register it checks. */
	copy &= 0x3ff;
	if (copy < 1 || copy > DNS_MAX_PAYLOAD || bpf_skb_load_bytes(skb, payload_offset, r->payload, copy)) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return 1;
	}
	r->ktime_ns = bpf_ktime_get_ns();
	r->cgroup_id = bpf_skb_cgroup_id(skb);
	r->socket_cookie = bpf_get_socket_cookie(skb);
	__builtin_memcpy(r->server, server, sizeof(server));
	r->family = family;
	r->transport = transport;
	r->payload_length = copy;
	r->packet_payload = packet_payload > 0xffff ? 0xffff : packet_payload;
	r->_pad = 0;
	struct dns_owner *owner = bpf_map_lookup_elem(&lt_dns_owners, &r->socket_cookie);
	if (owner) {
		r->pid = owner->pid;
		r->tid = owner->tid;
		__builtin_memcpy(r->comm, owner->comm, sizeof(r->comm));
		if (owner->cgroup_id == r->cgroup_id)
			__builtin_memcpy(r->cgroup_name, owner->cgroup_name, sizeof(r->cgroup_name));
		else
			r->cgroup_name[0] = '\0';
	} else {
		r->pid = 0;
		r->tid = 0;
		__builtin_memset(r->comm, 0, sizeof(r->comm));
		r->cgroup_name[0] = '\0';
		count->unknown_owner++;
	}
	__u64 pending = bpf_ringbuf_query(&lt_dns_events, BPF_RB_AVAIL_DATA);
	bpf_ringbuf_submit(r, pending >= wakeup_threshold ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 1;
}

static __always_inline void remember_sender(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port != bpf_htons(DNS_PORT))
		return;
	struct dns_counters *count = counters();
	if (!count)
		return;
	struct dns_owner owner = {};
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	owner.pid = pid_tgid >> 32;
	owner.tid = (__u32)pid_tgid;
	owner.cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(owner.comm, sizeof(owner.comm));
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	const char *cgroup_name = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, name);
	if (!cgroup_name ||
	    bpf_probe_read_kernel_str(owner.cgroup_name, sizeof(owner.cgroup_name), cgroup_name) < 0)
		owner.cgroup_name[0] = '\0';
	__u64 cookie = bpf_get_socket_cookie(ctx);
	if (bpf_map_update_elem(&lt_dns_owners, &cookie, &owner, BPF_ANY))
		count->owner_full++;
	else
		count->queries++;
}

SEC("cgroup/connect4")
int lt_dns_connect4(struct bpf_sock_addr *ctx)
{
	remember_sender(ctx);
	return 1;
}

SEC("cgroup/connect6")
int lt_dns_connect6(struct bpf_sock_addr *ctx)
{
	remember_sender(ctx);
	return 1;
}

SEC("cgroup/sendmsg4")
int lt_dns_sendmsg4(struct bpf_sock_addr *ctx)
{
	remember_sender(ctx);
	return 1;
}

SEC("cgroup/sendmsg6")
int lt_dns_sendmsg6(struct bpf_sock_addr *ctx)
{
	remember_sender(ctx);
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
