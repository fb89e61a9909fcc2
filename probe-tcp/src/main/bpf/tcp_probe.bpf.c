// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Follows every TCP socket's opening through sock/inet_sock_set_state. At -> SYN_SENT, which runs
 * in the connecting task, it remembers who connects (process, user, cgroup, argv) keyed by the
 * socket; when the handshake ends (SYN_SENT -> ESTABLISHED or -> CLOSE), usually in softirq
 * context where that task is no longer at hand, it emits one record to the ring buffer.
 */
#include <lanthorn/bpf_base.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "tcp_core.h"
#include "tcp_event.h"

/* Set by user space before load; the verifier treats them as constants. */
const volatile __u64 wakeup_threshold = 2 << 20; /* bytes pending before we wake the reader */
const volatile bool capture_argv = true;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} lt_tcp_events SEC(".maps");

/*
 * Attempts in flight, keyed by socket address. A plain hash, not an LRU: an LRU evicts silently
 * (and, with per-CPU free lists, before it is full), so lost attempts could only be guessed from
 * unmatched completions, which attempts begun before attach also produce. Here an insert fails
 * only when the map is full, and each failure is exactly one attempt lost. Entries do not leak:
 * every socket leaves SYN_SENT through this tracepoint, and a reused socket address overwrites;
 * only when the kernel skipped our run for that (see prog misses) does user space remove the
 * entry, after inflight-timeout.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u64);
	__type(value, struct tcp_event);
} lt_tcp_inflight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcp_counters);
} lt_tcp_counters SEC(".maps");

/*
 * The arguments last read per process. Reading user memory costs more than the rest of an
 * attempt's bookkeeping together, and a process's arguments rarely change; an entry is used only
 * while the process's memory map is the one it was read from (an exec replaces it). Evicting an
 * entry costs one re-read, so an LRU map is right here.
 */
struct argv_entry {
	__u64 mm;
	__u64 arg_start;
	__u16 len;
	char argv[TCP_EVENT_ARGV_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct argv_entry);
} lt_tcp_argv SEC(".maps");

/* Room to build an in-flight entry: the struct is too large for the 512-byte BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcp_event);
} lt_tcp_scratch SEC(".maps");

/*
 * Per-CPU counters need no atomics: the kernel never runs a tracing program nested in itself on
 * one CPU (it skips and counts the nested run instead), so nothing else updates this CPU's copy.
 */
static __always_inline struct tcp_counters *counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&lt_tcp_counters, &zero);
}

static __always_inline bool is_v4_mapped(const __u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5] | a[6] | a[7] | a[8] | a[9]) &&
	       a[10] == 0xff && a[11] == 0xff;
}

/*
 * Field reads. A tp_btf program gets a typed socket (and bpf_get_current_task_btf() a typed task)
 * that it may dereference directly, which costs a load; the classic tracepoint gets a bare
 * pointer, read through bpf_probe_read_kernel, which costs a helper call. Every function below is
 * inlined with a constant `btf`, so each program keeps only its own kind of read.
 */
#define READ(btf, ptr, field) ((btf) ? (ptr)->field : BPF_CORE_READ(ptr, field))
#define READ_INTO(btf, dst, ptr, field)                                                    \
	do {                                                                               \
		if (btf)                                                                   \
			__builtin_memcpy(dst, &(ptr)->field, sizeof(*(dst)));              \
		else                                                                       \
			BPF_CORE_READ_INTO(dst, ptr, field);                               \
	} while (0)

/* The 4-tuple as the socket holds it now; v4-mapped IPv6 becomes IPv4. */
static __always_inline void read_addresses(struct sock *sk, struct tcp_event *e, bool btf)
{
	__u16 family = READ(btf, sk, __sk_common.skc_family);

	__builtin_memset(e->saddr, 0, sizeof(e->saddr));
	__builtin_memset(e->daddr, 0, sizeof(e->daddr));
	if (family == AF_INET6) {
		READ_INTO(btf, &e->daddr, sk, __sk_common.skc_v6_daddr);
		READ_INTO(btf, &e->saddr, sk, __sk_common.skc_v6_rcv_saddr);
		if (is_v4_mapped(e->daddr)) {
			/* tcp_v6_connect hands these to tcp_v4_connect, which fills the v4 fields
			 * at once; the mapped v6 source appears only after it returns. */
			family = AF_INET;
			__builtin_memset(e->saddr, 0, sizeof(e->saddr));
			__builtin_memset(e->daddr, 0, sizeof(e->daddr));
		}
	}
	if (family == AF_INET) {
		*(__u32 *)e->daddr = READ(btf, sk, __sk_common.skc_daddr);
		*(__u32 *)e->saddr = READ(btf, sk, __sk_common.skc_rcv_saddr);
	}
	e->family = family;
	e->sport = READ(btf, sk, __sk_common.skc_num);
	e->dport = bpf_ntohs(READ(btf, sk, __sk_common.skc_dport));
}

/*
 * The start of the process's arguments, NUL-separated, from the cache or else from user memory;
 * best effort (the page may be absent).
 */
static __always_inline void read_argv(struct task_struct *task, struct tcp_event *e, bool btf)
{
	struct mm_struct *mm = READ(btf, task, mm);
	struct argv_entry *cached;
	unsigned long start, end;
	__u64 len;

	e->argv_len = 0;
	if (!mm)
		return;
	start = READ(btf, mm, arg_start);
	cached = bpf_map_lookup_elem(&lt_tcp_argv, &e->pid);
	if (cached && cached->mm == (__u64)mm && cached->arg_start == start) {
		__builtin_memcpy(e->argv, cached->argv, sizeof(e->argv));
		e->argv_len = cached->len;
		return;
	}
	end = READ(btf, mm, arg_end);
	if (!start || end <= start)
		return;
	len = end - start;
	if (len > TCP_EVENT_ARGV_LEN)
		len = TCP_EVENT_ARGV_LEN;
	if (bpf_probe_read_user(e->argv, len, (const void *)start) != 0)
		return;
	e->argv_len = len;
	/* Built in place in the map: the entry is too large for the stack. */
	cached = bpf_map_lookup_elem(&lt_tcp_argv, &e->pid);
	if (!cached) {
		struct argv_entry blank = {};

		bpf_map_update_elem(&lt_tcp_argv, &e->pid, &blank, BPF_ANY);
		cached = bpf_map_lookup_elem(&lt_tcp_argv, &e->pid);
		if (!cached)
			return;
	}
	cached->mm = (__u64)mm;
	cached->arg_start = start;
	cached->len = len;
	__builtin_memcpy(cached->argv, e->argv, sizeof(cached->argv));
}

/*
 * Who connects. Under tp_btf the task is typed and read directly, which spares five helper
 * calls (each costs a call and a return through the kernel's mitigation thunks).
 */
static __always_inline void read_task(struct task_struct *task, struct tcp_event *e, bool btf)
{
	const char *cgroup_name;

	if (btf) {
		struct kernfs_node *kn = task->cgroups->dfl_cgrp->kn;
		const struct cred *cred = task->cred;

		e->pid = task->tgid;
		e->tid = task->pid;
		e->uid = cred->uid.val;
		e->gid = cred->gid.val;
		e->cgroup_id = kn->id;
		__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
		cgroup_name = kn->name;
	} else {
		__u64 id = bpf_get_current_pid_tgid(), ugid = bpf_get_current_uid_gid();

		e->pid = id >> 32;
		e->tid = (__u32)id;
		e->uid = (__u32)ugid;
		e->gid = ugid >> 32;
		e->cgroup_id = bpf_get_current_cgroup_id();
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		cgroup_name = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, name);
	}
	/* The leaf of the task's cgroup v2 path: for a container, it carries its id. */
	if (!cgroup_name ||
	    bpf_probe_read_kernel_str(e->cgroup_name, sizeof(e->cgroup_name), cgroup_name) < 0)
		e->cgroup_name[0] = '\0';
}

static __always_inline int on_syn_sent(struct sock *sk, bool btf)
{
	struct tcp_counters *c = counters();
	struct task_struct *task;
	struct tcp_event *e;
	__u64 key = (__u64)sk;
	__u32 zero = 0;
	__u16 protocol = btf ? BPF_CORE_READ_BITFIELD(sk, sk_protocol) :
			       BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);

	if (protocol != IPPROTO_TCP)
		return 0;
	e = bpf_map_lookup_elem(&lt_tcp_scratch, &zero);
	if (!e || !c)
		return 0;
	c->started++;

	task = btf ? bpf_get_current_task_btf() : (struct task_struct *)bpf_get_current_task();
	e->start_ns = bpf_ktime_get_ns();
	e->latency_ns = 0;
	e->error = 0;
	e->protocol = IPPROTO_TCP;
	e->state = TCP_SYN_SENT;
	e->reserved = 0;
	read_task(task, e, btf);
	read_addresses(sk, e, btf);
	if (capture_argv)
		read_argv(task, e, btf);
	else
		e->argv_len = 0;

	if (bpf_map_update_elem(&lt_tcp_inflight, &key, e, BPF_ANY))
		c->inflight_full++;
	return 0;
}

static __always_inline int on_handshake_end(struct sock *sk, int newstate, bool btf)
{
	struct tcp_counters *c = counters();
	struct tcp_event *start, *e;
	__u64 key = (__u64)sk, flags;
	int err;

	if (!c)
		return 0;
	start = bpf_map_lookup_elem(&lt_tcp_inflight, &key);
	if (!start) {
		c->unmatched++;
		return 0;
	}
	e = bpf_ringbuf_reserve(&lt_tcp_events, sizeof(*e), 0);
	if (!e) {
		c->ring_full++;
		bpf_map_delete_elem(&lt_tcp_inflight, &key);
		return 0;
	}
	__builtin_memcpy(e, start, sizeof(*e));
	bpf_map_delete_elem(&lt_tcp_inflight, &key);

	e->latency_ns = bpf_ktime_get_ns() - e->start_ns;
	e->state = newstate;
	if (newstate == TCP_CLOSE) {
		/* tcp_reset, tcp_write_err and hard ICMP errors set sk_err before tcp_done; an ICMP
		 * error that found the socket locked by its user went to sk_err_soft instead. */
		err = READ(btf, sk, sk_err);
		e->error = err ? err : READ(btf, sk, sk_err_soft);
	}
	/* The source port and address are only final now. */
	read_addresses(sk, e, btf);
	/* A failed attempt had a port, but tcp_set_state released it (zeroing skc_num) before
	 * this tracepoint; inet_sport, which the kernel's own trace event shows, still holds it.
	 * A probed read (a typed sock pointer does not reach into inet_sock), on failures only. */
	if (newstate == TCP_CLOSE && !e->sport)
		e->sport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));

	/* A wakeup per record costs the workload dearly; the reader polls on a timer instead,
	 * and is woken only when the ring fills up faster than that. */
	flags = bpf_ringbuf_query(&lt_tcp_events, BPF_RB_AVAIL_DATA) > wakeup_threshold ?
			BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	c->emitted++;
	return 0;
}

static __always_inline int on_set_state(struct sock *sk, int oldstate, int newstate, bool btf)
{
	if (newstate == TCP_SYN_SENT)
		return on_syn_sent(sk, btf);
	if (oldstate == TCP_SYN_SENT)
		return on_handshake_end(sk, newstate, btf);
	return 0;
}

SEC("tp_btf/inet_sock_set_state")
int lt_tcp_tp_btf(__u64 *ctx)
{
	return on_set_state((struct sock *)ctx[0], (int)ctx[1], (int)ctx[2], true);
}

SEC("tracepoint/sock/inet_sock_set_state")
int lt_tcp_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	return on_set_state((struct sock *)ctx->skaddr, ctx->oldstate, ctx->newstate, false);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
