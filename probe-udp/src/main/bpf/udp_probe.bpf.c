// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * UDP destinations per (process, socket, destination), from the cgroup sock_addr hooks attached
 * to the cgroup v2 root: sendmsg4/6 see every sendto()/sendmsg() that names a destination,
 * connect4/6 a UDP socket's connect() (its later sends name none and are not seen here). They run
 * in the sending task, so pid, comm and cgroup are its own. They always allow the call (return 1).
 * Datagrams are counted in a kernel LRU map that user space reads every interval: no ring record
 * per datagram. Port 53 is left to probe-dns.
 */
#include <lanthorn/bpf_base.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "udp_flow.h"

#define AF_INET 2
#define AF_INET6 10
#define SOCK_DGRAM 2
#define IPPROTO_UDP 17
#define DNS_PORT 53

/* Set by user space before load. */
const volatile bool skip_dns = true;

/* Puts the structs into the object's BTF for RecordLayoutTest. Never read. */
const struct udp_flow_key lt_udp_key_layout = {};

/* UAPI program contexts (include/uapi/linux/bpf.h), reduced to the fields read; stable ABI. */
struct bpf_sock {
	__u32 bound_dev_if;
	__u32 family;
	__u32 type;
	__u32 protocol;
	__u32 mark;
	__u32 priority;
	__u32 src_ip4;
	__u32 src_ip6[4];
	__u32 src_port; /* host byte order */
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
	union {
		struct bpf_sock *sk;
		__u64 :64;
	} __attribute__((aligned(8)));
};

struct kernfs_node {
	const char *name;
	__u64 id;
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

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct udp_flow_key);
	__type(value, struct udp_flow);
} lt_udp_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct udp_counters);
} lt_udp_counters SEC(".maps");

/* Room to build a new flow's value, off the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct udp_flow);
} lt_udp_scratch SEC(".maps");

static __always_inline void count(struct bpf_sock_addr *ctx, bool v6, bool connected)
{
	struct udp_counters *c;
	struct udp_flow_key key = {};
	struct udp_flow *flow;
	struct bpf_sock *sk;
	struct task_struct *task;
	struct kernfs_node *kn;
	const char *name;
	__u64 id, ugid, now;
	__u32 zero = 0;

	if (ctx->type != SOCK_DGRAM || ctx->protocol != IPPROTO_UDP)
		return;
	key.dport = bpf_ntohs((__u16)ctx->user_port);
	if (skip_dns && key.dport == DNS_PORT)
		return;
	c = bpf_map_lookup_elem(&lt_udp_counters, &zero);
	if (!c)
		return;
	c->seen++;
	id = bpf_get_current_pid_tgid();
	key.cookie = bpf_get_socket_cookie(ctx);
	key.pid = id >> 32;
	if (v6) {
		key.family = AF_INET6;
		*(__u32 *)&key.daddr[0] = ctx->user_ip6[0];
		*(__u32 *)&key.daddr[4] = ctx->user_ip6[1];
		*(__u32 *)&key.daddr[8] = ctx->user_ip6[2];
		*(__u32 *)&key.daddr[12] = ctx->user_ip6[3];
		if (ctx->user_ip6[0] == 0 && ctx->user_ip6[1] == 0 &&
		    ctx->user_ip6[2] == bpf_htonl(0xffff)) {
			key.family = AF_INET;
			*(__u32 *)&key.daddr[0] = ctx->user_ip6[3];
			__builtin_memset(&key.daddr[4], 0, 12);
		}
	} else {
		key.family = AF_INET;
		*(__u32 *)&key.daddr[0] = ctx->user_ip4;
	}
	now = bpf_ktime_get_ns();
	flow = bpf_map_lookup_elem(&lt_udp_flows, &key);
	if (flow) {
		if (!connected)
			__sync_fetch_and_add(&flow->datagrams, 1);
		flow->last_ns = now;
		return;
	}

	flow = bpf_map_lookup_elem(&lt_udp_scratch, &zero);
	if (!flow)
		return;
	ugid = bpf_get_current_uid_gid();
	flow->first_ns = now;
	flow->last_ns = now;
	flow->datagrams = connected ? 0 : 1;
	flow->connected = connected;
	flow->reserved = 0;
	flow->tid = (__u32)id;
	flow->uid = (__u32)ugid;
	flow->gid = ugid >> 32;
	flow->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(flow->comm, sizeof(flow->comm));
	__builtin_memset(flow->saddr, 0, sizeof(flow->saddr));
	flow->sport = 0;
	sk = ctx->sk;
	if (sk) {
		flow->sport = sk->src_port;
		if (key.family == AF_INET)
			*(__u32 *)&flow->saddr[0] = sk->src_ip4;
	}
	/* The cgroup's leaf name, read now: the container may be gone when user space looks. */
	task = (struct task_struct *)bpf_get_current_task();
	kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	name = kn ? BPF_CORE_READ(kn, name) : NULL;
	if (!name ||
	    bpf_probe_read_kernel_str(flow->cgroup_name, sizeof(flow->cgroup_name), name) < 0)
		flow->cgroup_name[0] = '\0';
	if (bpf_map_update_elem(&lt_udp_flows, &key, flow, BPF_NOEXIST) == 0) {
		c->new_flows++;
	} else {
		/* Another CPU entered it meanwhile: count there. */
		flow = bpf_map_lookup_elem(&lt_udp_flows, &key);
		if (flow && !connected)
			__sync_fetch_and_add(&flow->datagrams, 1);
		else if (!flow)
			c->map_full++;
	}
}

SEC("cgroup/sendmsg4")
int lt_udp_sendmsg4(struct bpf_sock_addr *ctx)
{
	count(ctx, false, false);
	return 1;
}

SEC("cgroup/sendmsg6")
int lt_udp_sendmsg6(struct bpf_sock_addr *ctx)
{
	count(ctx, true, false);
	return 1;
}

SEC("cgroup/connect4")
int lt_udp_connect4(struct bpf_sock_addr *ctx)
{
	count(ctx, false, true);
	return 1;
}

SEC("cgroup/connect6")
int lt_udp_connect6(struct bpf_sock_addr *ctx)
{
	count(ctx, true, true);
	return 1;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
