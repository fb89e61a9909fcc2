// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * UDP datagrams and bytes per (process, socket, destination). Every sendmsg() on a socket ends in
 * the tracepoint sock/sock_send_length (Linux 6.3+), in the sending task, with the bytes sent:
 * lt_udp_sent counts there, for connected and unconnected sockets alike. The tracepoint carries
 * no destination, so:
 *   - a connected socket's is read from the socket itself;
 *   - a send that names one (sendto(), sendmsg() with an address) passes cgroup/sendmsg4|6 on its
 *     way, in the same task, just before: that hook leaves the destination in the socket's local
 *     storage, for the tracepoint to take.
 * connect4/6 report a UDP socket's connect() at once (0 datagrams), before it sends. Where the
 * tracepoint is missing, lt_udp_sendmsg4/6_count replace lt_udp_sendmsg4/6 and count in the hook. The cgroup
 * programs are attached to the cgroup v2 root and always allow the call (return 1). Counts live in
 * a kernel LRU map that user space reads every interval: no ring record per datagram. Port 53 is
 * left to probe-dns.
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
#define TCP_ESTABLISHED 1 /* a connected UDP socket's sk_state */

#define BPF_MAP_TYPE_SK_STORAGE 24
#define BPF_F_NO_PREALLOC 1
#define BPF_SK_STORAGE_GET_F_CREATE 1

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

/* The kernel's socket, for the tracepoint (CO-RE: libbpf finds the fields inside its unions). */
struct in6_addr {
	__u32 s6_addr32[4];
};

typedef struct {
	__s64 counter;
} atomic64_t;

struct bpf_local_storage;

struct sock_common {
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	volatile unsigned char skc_state;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
	atomic64_t skc_cookie; /* 0 until someone asked (sock_gen_cookie) */
} __attribute__((preserve_access_index));

struct sock {
	struct sock_common __sk_common;
	__u16 sk_protocol;
	__u16 sk_type;
	struct bpf_local_storage *sk_bpf_storage; /* NULL while no program stored anything */
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

/*
 * The destination a sendmsg4/6 hook saw, for the tracepoint that ends the same sendmsg() in the
 * same task. In the socket's own storage: freed with the socket, so bounded by the sockets open.
 * Two threads sending on one socket at once may overwrite each other's: the tid tells, and such a
 * send is counted as unmatched rather than given the other's destination.
 */
struct udp_pending {
	struct udp_flow_key key;
	__u32 tid;
	__u8 armed; /* 1 from the hook until the tracepoint takes it */
	__u8 skip;  /* port 53: left to probe-dns */
	__u16 reserved;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct udp_pending);
} lt_udp_pending SEC(".maps");

/* Room to build a new flow's value, off the 512-byte stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct udp_flow);
} lt_udp_scratch SEC(".maps");

/* The sending task's facts into a fresh flow value in the scratch map; NULL if none. */
static __always_inline struct udp_flow *new_flow(__u64 now, __u64 datagrams, __u64 bytes,
						 bool connected)
{
	struct udp_flow *flow;
	struct task_struct *task;
	struct kernfs_node *kn;
	const char *name;
	__u64 id, ugid;
	__u32 zero = 0;

	flow = bpf_map_lookup_elem(&lt_udp_scratch, &zero);
	if (!flow)
		return NULL;
	id = bpf_get_current_pid_tgid();
	ugid = bpf_get_current_uid_gid();
	flow->first_ns = now;
	flow->last_ns = now;
	flow->datagrams = datagrams;
	flow->bytes = bytes;
	flow->connected = connected;
	flow->reserved = 0;
	flow->tid = (__u32)id;
	flow->uid = (__u32)ugid;
	flow->gid = ugid >> 32;
	flow->cgroup_id = bpf_get_current_cgroup_id();
	bpf_get_current_comm(flow->comm, sizeof(flow->comm));
	__builtin_memset(flow->saddr, 0, sizeof(flow->saddr));
	flow->sport = 0;
	/* The cgroup's leaf name, read now: the container may be gone when user space looks. */
	task = (struct task_struct *)bpf_get_current_task();
	kn = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn);
	name = kn ? BPF_CORE_READ(kn, name) : NULL;
	if (!name ||
	    bpf_probe_read_kernel_str(flow->cgroup_name, sizeof(flow->cgroup_name), name) < 0)
		flow->cgroup_name[0] = '\0';
	return flow;
}

/* Enters a flow built by new_flow(); when another CPU entered the key meanwhile, adds to that. */
static __always_inline void insert_flow(struct udp_flow_key *key, struct udp_flow *flow,
					__u64 datagrams, __u64 bytes)
{
	struct udp_counters *c;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&lt_udp_counters, &zero);
	if (!c)
		return;
	if (bpf_map_update_elem(&lt_udp_flows, key, flow, BPF_NOEXIST) == 0) {
		c->new_flows++;
		return;
	}
	flow = bpf_map_lookup_elem(&lt_udp_flows, key);
	if (flow) {
		__sync_fetch_and_add(&flow->datagrams, datagrams);
		__sync_fetch_and_add(&flow->bytes, bytes);
	} else {
		c->map_full++;
	}
}

/*
 * The destination a sock_addr hook is given (family, dport, daddr); false for what this probe does
 * not follow. Counted as seen. The socket and process parts of the key are left to the caller.
 */
static __always_inline bool hook_destination(struct bpf_sock_addr *ctx, bool v6,
					     struct udp_flow_key *key)
{
	struct udp_counters *c;
	__u32 zero = 0;

	if (ctx->type != SOCK_DGRAM || ctx->protocol != IPPROTO_UDP)
		return false;
	key->dport = bpf_ntohs((__u16)ctx->user_port);
	if (skip_dns && key->dport == DNS_PORT)
		return false;
	c = bpf_map_lookup_elem(&lt_udp_counters, &zero);
	if (c)
		c->seen++;
	if (v6) {
		key->family = AF_INET6;
		*(__u32 *)&key->daddr[0] = ctx->user_ip6[0];
		*(__u32 *)&key->daddr[4] = ctx->user_ip6[1];
		*(__u32 *)&key->daddr[8] = ctx->user_ip6[2];
		*(__u32 *)&key->daddr[12] = ctx->user_ip6[3];
		if (ctx->user_ip6[0] == 0 && ctx->user_ip6[1] == 0 &&
		    ctx->user_ip6[2] == bpf_htonl(0xffff)) {
			key->family = AF_INET;
			*(__u32 *)&key->daddr[0] = ctx->user_ip6[3];
			__builtin_memset(&key->daddr[4], 0, 12);
		}
	} else {
		key->family = AF_INET;
		*(__u32 *)&key->daddr[0] = ctx->user_ip4;
	}
	return true;
}

/* The whole key, for the hooks that count themselves. */
static __always_inline bool hook_key(struct bpf_sock_addr *ctx, bool v6, struct udp_flow_key *key)
{
	if (!hook_destination(ctx, v6, key))
		return false;
	key->cookie = bpf_get_socket_cookie(ctx);
	key->pid = bpf_get_current_pid_tgid() >> 32;
	return true;
}

/*
 * A send that names its destination: leaves it for the tracepoint, which counts (and adds the
 * socket's cookie and the pid: fewer helper calls here).
 */
static __always_inline void remember(struct bpf_sock_addr *ctx, bool v6)
{
	struct udp_pending *p;
	struct bpf_sock *sk = ctx->sk;
	struct udp_flow_key key = {};
	bool follow;

	if (!sk || ctx->type != SOCK_DGRAM || ctx->protocol != IPPROTO_UDP)
		return;
	follow = hook_destination(ctx, v6, &key);
	p = bpf_sk_storage_get(&lt_udp_pending, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (!p)
		return;
	p->key = key;
	p->tid = (__u32)bpf_get_current_pid_tgid();
	p->skip = !follow; /* port 53: the tracepoint must not take the socket's peer instead */
	p->armed = 1;
}

/*
 * A flow seen at a sock_addr hook: created (with the socket's source) and reported at once when
 * new, else touched; `datagrams` is added to it (0 for a connect(), 1 for a counted send).
 */
static __always_inline void flow_at_hook(struct bpf_sock_addr *ctx, bool v6, __u64 datagrams,
					 bool connect)
{
	struct udp_flow_key key = {};
	struct udp_flow *flow;
	struct bpf_sock *sk;
	__u64 now;

	if (!hook_key(ctx, v6, &key))
		return;
	now = bpf_ktime_get_ns();
	flow = bpf_map_lookup_elem(&lt_udp_flows, &key);
	if (flow) {
		if (datagrams)
			__sync_fetch_and_add(&flow->datagrams, datagrams);
		flow->last_ns = now;
		return;
	}
	flow = new_flow(now, datagrams, 0, connect);
	if (!flow)
		return;
	sk = ctx->sk;
	if (sk) {
		flow->sport = sk->src_port;
		if (key.family == AF_INET)
			*(__u32 *)&flow->saddr[0] = sk->src_ip4;
	}
	insert_flow(&key, flow, datagrams, 0);
}

/* A UDP socket's connect(): reported at once, with no datagrams yet. */
static __always_inline void connected(struct bpf_sock_addr *ctx, bool v6)
{
	flow_at_hook(ctx, v6, 0, true);
}

SEC("cgroup/sendmsg4")
int lt_udp_sendmsg4(struct bpf_sock_addr *ctx)
{
	remember(ctx, false);
	return 1;
}

SEC("cgroup/sendmsg6")
int lt_udp_sendmsg6(struct bpf_sock_addr *ctx)
{
	remember(ctx, true);
	return 1;
}

/*
 * Kernels without sock_send_length (before 6.3): the hooks count instead, a datagram per send that
 * names its destination; bytes are not known there, and a connected socket's sends not seen.
 */
static __always_inline void count_at_hook(struct bpf_sock_addr *ctx, bool v6)
{
	flow_at_hook(ctx, v6, 1, false);
}

SEC("cgroup/sendmsg4")
int lt_udp_sendmsg4_count(struct bpf_sock_addr *ctx)
{
	count_at_hook(ctx, false);
	return 1;
}

SEC("cgroup/sendmsg6")
int lt_udp_sendmsg6_count(struct bpf_sock_addr *ctx)
{
	count_at_hook(ctx, true);
	return 1;
}

SEC("cgroup/connect4")
int lt_udp_connect4(struct bpf_sock_addr *ctx)
{
	connected(ctx, false);
	return 1;
}

SEC("cgroup/connect6")
int lt_udp_connect6(struct bpf_sock_addr *ctx)
{
	connected(ctx, true);
	return 1;
}

static __always_inline bool is_v4_mapped(const struct in6_addr *a)
{
	return a->s6_addr32[0] == 0 && a->s6_addr32[1] == 0 && a->s6_addr32[2] == bpf_htonl(0xffff);
}

/* The socket's local address and port, bound by now (a first send binds an unbound socket). */
static __always_inline void set_source(struct udp_flow *flow, struct sock *sk, __u16 family)
{
	if (family == AF_INET6)
		__builtin_memcpy(flow->saddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
	else
		*(__u32 *)&flow->saddr[0] = sk->__sk_common.skc_rcv_saddr;
	flow->sport = sk->__sk_common.skc_num;
}

/*
 * The end of every sendmsg() on every socket of the host (TCP, Unix, …): anything but UDP returns
 * after three loads. A send counts when it succeeded (ret >= 0 bytes; an empty datagram is one).
 * The common case is a lookup and two atomic adds.
 */
SEC("tp_btf/sock_send_length")
int lt_udp_sent(__u64 *ctx)
{
	struct sock *sk = (struct sock *)ctx[0];
	int ret = (int)ctx[1];
	struct udp_flow_key key = {};
	struct udp_pending *p;
	struct udp_flow *flow;
	struct udp_counters *c;
	unsigned short family;
	__u64 now, id;
	__u32 zero = 0;

	if (!sk || sk->sk_protocol != IPPROTO_UDP || sk->sk_type != SOCK_DGRAM)
		return 0;
	family = sk->__sk_common.skc_family;
	if (family != AF_INET && family != AF_INET6)
		return 0;
	/* Loads before helper calls: each call goes through the kernel's mitigation thunks. A
	 * socket no hook ever saw (a connected one, usually) has no storage at all. */
	p = sk->sk_bpf_storage ? bpf_sk_storage_get(&lt_udp_pending, sk, NULL, 0) : NULL;
	if (p && p->armed) {
		/* Disarmed whatever the outcome: a failed send must not leave it to the next. */
		p->armed = 0;
		id = bpf_get_current_pid_tgid();
		if (p->tid != (__u32)id) {
			c = bpf_map_lookup_elem(&lt_udp_counters, &zero);
			if (c && ret >= 0)
				c->unmatched++;
			return 0;
		}
		if (p->skip || ret < 0)
			return 0;
		key = p->key;
		key.pid = id >> 32;
	} else {
		if (ret < 0)
			return 0;
		if (sk->__sk_common.skc_state != TCP_ESTABLISHED) {
			/* Unconnected, and its hook not seen: began before attach, or lost to another
			 * thread's send on the same socket. */
			c = bpf_map_lookup_elem(&lt_udp_counters, &zero);
			if (c)
				c->unmatched++;
			return 0;
		}
		key.dport = bpf_ntohs(sk->__sk_common.skc_dport);
		if (skip_dns && key.dport == DNS_PORT)
			return 0;
		key.pid = bpf_get_current_pid_tgid() >> 32;
		key.family = AF_INET;
		if (family == AF_INET6 && !is_v4_mapped(&sk->__sk_common.skc_v6_daddr)) {
			key.family = AF_INET6;
			__builtin_memcpy(key.daddr, &sk->__sk_common.skc_v6_daddr, 16);
		} else {
			*(__u32 *)&key.daddr[0] = sk->__sk_common.skc_daddr;
		}
	}
	key.cookie = sk->__sk_common.skc_cookie.counter; /* set by now, unless nobody asked */
	if (!key.cookie)
		key.cookie = bpf_get_socket_cookie(sk);
	now = bpf_ktime_get_ns();
	flow = bpf_map_lookup_elem(&lt_udp_flows, &key);
	if (flow) {
		__sync_fetch_and_add(&flow->datagrams, 1);
		__sync_fetch_and_add(&flow->bytes, ret);
		flow->last_ns = now;
		if (flow->sport == 0) /* entered at connect(), which binds the socket after */
			set_source(flow, sk, key.family);
		return 0;
	}
	/* First datagram there (or sent after a connect() the agent did not see). */
	flow = new_flow(now, 1, ret, false);
	if (!flow)
		return 0;
	set_source(flow, sk, key.family);
	insert_flow(&key, flow, 1, ret);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
