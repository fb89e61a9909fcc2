// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Follows every TCP socket's opening through sock/inet_sock_set_state. At -> SYN_SENT, which runs
 * in the connecting task, it remembers who connects (process, user, cgroup) keyed by the socket;
 * when the handshake ends (SYN_SENT -> ESTABLISHED or -> CLOSE), usually in softirq context where
 * that task is no longer at hand, it emits one record to the ring buffer. What rarely changes for
 * a process (its arguments, its cgroup's name) goes to the ring once, as a process record, rather
 * than with every connection.
 *
 * The tracepoint fires for every state change of every TCP socket, server side included (about
 * six times per loopback connection), so everything but the two transitions we follow returns at
 * once, and the two do as few helper calls as they can: each costs a call and a return through
 * the kernel's mitigation thunks.
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
const volatile __u32 inflight_slots = 16384; /* lt_tcp_slots' size */
const volatile bool follow_inbound = true;   /* accepts (tcp_accept) */
const volatile bool follow_lifetime = true;  /* closes of established connections */

/* Puts struct tcp_process into the object's BTF for RecordLayoutTest: no map or variable would
 * have its type otherwise. Never read. */
const struct tcp_process lt_tcp_process_layout = {};
const struct tcp_accept lt_tcp_accept_layout = {};
const struct tcp_close lt_tcp_close_layout = {};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} lt_tcp_events SEC(".maps");

/*
 * Attempts in flight, keyed by socket address, in two places. First a direct-mapped table: an
 * array slot chosen by hashing the address, claimed and freed with compare-and-swap. It needs no
 * helper call, lock or allocation (a hash map update, lookup and delete cost about 200 ns per
 * attempt here), and its array is mmapped by user space, which emits what is left at stop and
 * removes stale entries with the same compare-and-swap. An attempt whose slot is taken goes to a
 * plain hash map.
 *
 * Neither place evicts: an LRU would (and, with per-CPU free lists, before it is full), so lost
 * attempts could only be guessed from unmatched completions, which attempts begun before attach
 * also produce. Here an insert fails only when both places are taken, and each failure is exactly
 * one attempt lost. Entries do not leak: every socket leaves SYN_SENT through this tracepoint;
 * only when the kernel skipped our run for that (see prog misses) does an entry stay, until its
 * socket's address begins another attempt (counted as replaced) or user space removes it after
 * inflight-timeout.
 */
struct inflight_slot {
	__u64 socket; /* the socket's address; 0 when free; +1 while the attempt is being written */
	struct tcp_event attempt;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct inflight_slot);
} lt_tcp_slots SEC(".maps");

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
 * The process images this CPU has announced, direct-mapped by pid. An entry matches while the
 * process, its image (an exec replaces the mm), its arguments' address and its cgroup are the
 * ones announced, and for ANNOUNCE_TTL_NS after the announcement: user space forgets the least
 * recently used of what it was told, and a process is announced again at least that often, so
 * what it forgot comes back (a renamed cgroup too). A per-CPU array needs neither a hash nor a
 * helper call to look up (the verifier inlines it); a process seen on another CPU is announced
 * once more there, which costs only a record. An empty slot never matches: no cgroup has id 0.
 */
#define KNOWN_PROCESS_SLOTS 256
#define ANNOUNCE_TTL_NS (5ULL * 1000 * 1000 * 1000)

struct known_process {
	__u64 exec_id;
	__u64 arg_start;
	__u64 cgroup_id;
	__u32 pid;
	__u32 reserved;
	__u64 announced_ns;
};

struct known_processes {
	struct known_process slot[KNOWN_PROCESS_SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct known_processes);
} lt_tcp_known SEC(".maps");

/*
 * Room to build an in-flight entry for the hash map, off the 512-byte BPF stack; and to turn the
 * socket's address into a number that may be hashed (the verifier allows no arithmetic on a
 * typed pointer, but a value stored into a map reads back as a plain number).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct inflight_slot);
} lt_tcp_scratch SEC(".maps");

/*
 * Who called listen() on a port, per network namespace: the accept of a connection runs in
 * softirq context where the current task is arbitrary, but the CLOSE -> LISTEN transition runs in
 * the listen() caller. Several listeners on one port (SO_REUSEPORT) keep the latest.
 */
struct listener_key {
	__u32 netns; /* the namespace's inode number */
	__u16 port;
	__u16 family;
};

struct listener {
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 gid;
	char comm[TCP_EVENT_COMM_LEN];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct listener_key);
	__type(value, struct listener);
} lt_tcp_listeners SEC(".maps");

/*
 * Established connections whose close is awaited, keyed by socket address. An LRU: a socket whose
 * close the kernel skipped our run for must not stay forever. What it evicts is counted by user
 * space (tracked - closed - close_ring_full - what is left at stop).
 */
struct lifetime {
	__u64 open_ns;        /* start_ns of the opening record */
	__u64 established_ns;
	__u8 inbound;
	__u8 reserved[7];
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u64);
	__type(value, struct lifetime);
} lt_tcp_lifetimes SEC(".maps");

/* Room for an accept record's cgroup name read, off the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tcp_accept);
} lt_tcp_accept_scratch SEC(".maps");

/*
 * Per-CPU counters need no atomics: the kernel never runs a tracing program nested in itself on
 * one CPU (it skips and counts the nested run instead), so nothing else updates this CPU's copy.
 */
static __always_inline struct tcp_counters *counters(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&lt_tcp_counters, &zero);
}

/* The socket's address as a plain number, and its slot in lt_tcp_slots. */
static __always_inline struct inflight_slot *slot_of(struct inflight_slot *scratch,
						     struct sock *sk, __u64 *key)
{
	__u32 index;

	scratch->socket = (__u64)sk;
	*key = *(volatile __u64 *)&scratch->socket;
	index = (__u32)((*key * 0x9E3779B97F4A7C15ULL) >> 32) % inflight_slots;
	return bpf_map_lookup_elem(&lt_tcp_slots, &index);
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
 * Who connects. Under tp_btf the task is typed and read directly, which spares five helper
 * calls. Returns the task's cgroup node's name, for announce().
 */
static __always_inline const char *read_task(struct task_struct *task, struct tcp_event *e,
					     bool btf)
{
	if (btf) {
		struct kernfs_node *kn = task->cgroups->dfl_cgrp->kn;
		const struct cred *cred = task->cred;

		e->pid = task->tgid;
		e->tid = task->pid;
		e->uid = cred->uid.val;
		e->gid = cred->gid.val;
		e->cgroup_id = kn->id;
		__builtin_memcpy(e->comm, task->comm, sizeof(e->comm));
		return kn->name;
	} else {
		__u64 id = bpf_get_current_pid_tgid(), ugid = bpf_get_current_uid_gid();

		e->pid = id >> 32;
		e->tid = (__u32)id;
		e->uid = (__u32)ugid;
		e->gid = ugid >> 32;
		e->cgroup_id = bpf_get_current_cgroup_id();
		bpf_get_current_comm(e->comm, sizeof(e->comm));
		return BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, name);
	}
}

/*
 * Writes a process record for the task unless this CPU already wrote one for the same process
 * image and cgroup lately. It precedes, in the ring, every connection record that refers to it:
 * it is written before the attempt is even in flight. Arguments are best effort (their page may
 * be absent). Returns false when the ring had no room for it: the caller then drops the attempt
 * as lost to a full ring rather than let its record arrive without cgroup name or arguments,
 * which would read as "not in a container"; the slot stays unset so the next attempt retries.
 */
static __always_inline bool announce(struct task_struct *task, struct tcp_event *e,
				     const char *cgroup_name, bool btf)
{
	struct known_processes *known;
	struct known_process *k;
	struct tcp_process *p;
	struct mm_struct *mm;
	unsigned long start = 0, end;
	__u32 zero = 0;
	__u64 len;

	mm = READ(btf, task, mm);
	e->exec_id = (__u64)mm;
	known = bpf_map_lookup_elem(&lt_tcp_known, &zero);
	if (!known)
		return true; /* cannot happen: a one-element array always has its element */
	k = &known->slot[e->pid & (KNOWN_PROCESS_SLOTS - 1)];
	if (mm && capture_argv)
		start = READ(btf, mm, arg_start);
	if (k->pid == e->pid && k->exec_id == (__u64)mm && k->arg_start == start &&
	    k->cgroup_id == e->cgroup_id && e->start_ns - k->announced_ns < ANNOUNCE_TTL_NS)
		return true;

	p = bpf_ringbuf_reserve(&lt_tcp_events, sizeof(*p), 0);
	if (!p)
		return false;
	p->kind = TCP_RECORD_PROCESS;
	p->reserved = 0;
	p->pid = e->pid;
	p->exec_id = (__u64)mm;
	p->cgroup_id = e->cgroup_id;
	/* The leaf of the task's cgroup v2 path: for a container, it carries its id. */
	if (!cgroup_name ||
	    bpf_probe_read_kernel_str(p->cgroup_name, sizeof(p->cgroup_name), cgroup_name) < 0)
		p->cgroup_name[0] = '\0';
	p->argv_len = 0;
	if (start) {
		end = READ(btf, mm, arg_end);
		if (end > start) {
			len = end - start;
			if (len > TCP_EVENT_ARGV_LEN)
				len = TCP_EVENT_ARGV_LEN;
			if (bpf_probe_read_user(p->argv, len, (const void *)start) == 0)
				p->argv_len = len;
		}
	}
	bpf_ringbuf_submit(p, BPF_RB_NO_WAKEUP);

	k->pid = e->pid;
	k->exec_id = (__u64)mm;
	k->arg_start = start;
	k->cgroup_id = e->cgroup_id;
	k->announced_ns = e->start_ns;
	return true;
}

static __always_inline int on_syn_sent(struct sock *sk, bool btf)
{
	struct tcp_counters *c = counters();
	struct inflight_slot *scratch, *slot;
	struct task_struct *task;
	const char *cgroup_name;
	struct tcp_event *e;
	__u32 zero = 0;
	__u64 key, held;
	long err;

	scratch = bpf_map_lookup_elem(&lt_tcp_scratch, &zero);
	if (!scratch || !c)
		return 0;
	c->started++;

	/* Claim the socket's slot (marked as being written), or build the entry for the hash map. */
	e = &scratch->attempt;
	slot = slot_of(scratch, sk, &key);
	if (slot) {
		held = slot->socket;
		if (held == key) {
			/* This socket's previous attempt, whose end a skipped run missed. Unless user
			 * space's sweep took it just now (and counted it), it is lost here. */
			if (__sync_val_compare_and_swap(&slot->socket, key, 0) == key)
				c->replaced++;
			held = 0;
		}
		if (held == 0 && __sync_val_compare_and_swap(&slot->socket, 0, key + 1) == 0)
			e = &slot->attempt;
		else
			slot = NULL;
	}

	task = btf ? bpf_get_current_task_btf() : (struct task_struct *)bpf_get_current_task();
	e->kind = TCP_RECORD_CONNECTION;
	e->state = TCP_SYN_SENT;
	e->error = 0;
	e->reserved = 0;
	e->start_ns = bpf_ktime_get_ns();
	e->latency_ns = 0;
	cgroup_name = read_task(task, e, btf);
	read_addresses(sk, e, btf);
	if (!announce(task, e, cgroup_name, btf)) {
		c->ring_full++;
		if (slot) /* give the claimed slot back: nobody else takes a slot being written */
			__sync_val_compare_and_swap(&slot->socket, key + 1, 0);
		return 0;
	}

	if (slot) {
		/* Written: the end of the handshake and user space may take it now. A full barrier,
		 * so that whoever sees the socket sees the attempt. */
		__sync_val_compare_and_swap(&slot->socket, key + 1, key);
		return 0;
	}
	err = bpf_map_update_elem(&lt_tcp_inflight, &key, e, BPF_NOEXIST);
	if (err == -EEXIST) {
		/* As above, in the hash map: whoever deletes the old entry counts it, this program
		 * or user space's sweep. */
		if (bpf_map_delete_elem(&lt_tcp_inflight, &key) == 0)
			c->replaced++;
		err = bpf_map_update_elem(&lt_tcp_inflight, &key, e, BPF_NOEXIST);
	}
	if (err)
		c->inflight_full++;
	return 0;
}

static __always_inline void track(struct tcp_counters *c, __u64 key, __u64 open_ns,
				  __u64 established_ns, bool inbound);

static __always_inline int on_handshake_end(struct sock *sk, int newstate, bool btf)
{
	struct tcp_counters *c = counters();
	struct inflight_slot *scratch, *slot;
	struct tcp_event *start, *e;
	__u64 key, flags = BPF_RB_NO_WAKEUP;
	__u32 zero = 0;
	int err;

	scratch = bpf_map_lookup_elem(&lt_tcp_scratch, &zero);
	if (!scratch || !c)
		return 0;
	slot = slot_of(scratch, sk, &key);
	if (slot && slot->socket == key) {
		e = bpf_ringbuf_reserve(&lt_tcp_events, sizeof(*e), 0);
		if (e)
			__builtin_memcpy(e, &slot->attempt, sizeof(*e));
		if (__sync_val_compare_and_swap(&slot->socket, key, 0) != key) {
			/* User space's sweep took it as stale meanwhile, and counted it. */
			if (e)
				bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
			return 0;
		}
		if (!e) {
			c->ring_full++;
			return 0;
		}
	} else {
		start = bpf_map_lookup_elem(&lt_tcp_inflight, &key);
		if (!start) {
			c->unmatched++;
			return 0;
		}
		/* The delete takes the entry: if it fails, user space's sweep took it as stale
		 * meanwhile (and counted it), so this program must neither emit nor count it. */
		e = bpf_ringbuf_reserve(&lt_tcp_events, sizeof(*e), 0);
		if (!e) {
			if (bpf_map_delete_elem(&lt_tcp_inflight, &key) == 0)
				c->ring_full++;
			return 0;
		}
		__builtin_memcpy(e, start, sizeof(*e));
		if (bpf_map_delete_elem(&lt_tcp_inflight, &key) != 0) {
			bpf_ringbuf_discard(e, BPF_RB_NO_WAKEUP);
			return 0;
		}
	}

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

	if (follow_lifetime && newstate == TCP_ESTABLISHED)
		track(c, key, e->start_ns, e->start_ns + e->latency_ns, false);

	/* A wakeup per record costs the workload dearly; the reader polls on a timer instead, and
	 * is woken only when the ring fills up faster than that. Asking the ring how full it is
	 * costs a helper call, so each CPU asks at every 16th record only. */
	if ((c->emitted++ & 15) == 0 &&
	    bpf_ringbuf_query(&lt_tcp_events, BPF_RB_AVAIL_DATA) > wakeup_threshold)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(e, flags);
	return 0;
}

/* Submits without waking the reader unless the ring holds more than the threshold. */
static __always_inline void submit(void *record, struct tcp_counters *c)
{
	__u64 flags = BPF_RB_NO_WAKEUP;

	if ((c->emitted++ & 15) == 0 &&
	    bpf_ringbuf_query(&lt_tcp_events, BPF_RB_AVAIL_DATA) > wakeup_threshold)
		flags = BPF_RB_FORCE_WAKEUP;
	bpf_ringbuf_submit(record, flags);
}

static __always_inline void listener_key_of(struct sock *sk, struct listener_key *k)
{
	k->netns = BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
	k->port = BPF_CORE_READ(sk, __sk_common.skc_num);
	k->family = 0; /* one entry per port: a dual-stack listener serves both families */
}

/*
 * listen(fd, backlog) runs in the task that owns the listening socket; the state change to
 * LISTEN does not go through the tracepoint (the kernel stores it directly). So a syscall
 * tracepoint finds the socket behind the descriptor and remembers its caller for the port's
 * accepts. A socket that listen() binds itself (no bind() before) has port 0 here: not recorded.
 */
SEC("tracepoint/syscalls/sys_enter_listen")
int lt_tcp_listen(struct trace_event_raw_sys_enter *ctx)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct listener_key k = {};
	struct listener l = {};
	struct fdtable *fdt;
	struct file **fds, *file;
	struct socket *sock;
	struct sock *sk;
	__u64 id, ugid;
	unsigned int fd = (unsigned int)ctx->args[0];

	if (!follow_inbound)
		return 0;
	fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	sock = BPF_CORE_READ(file, private_data);
	if (!sock)
		return 0;
	sk = BPF_CORE_READ(sock, sk);
	/* Not a socket's file, or not TCP: the socket's back pointer and protocol tell. */
	if (!sk || BPF_CORE_READ(sk, sk_socket) != sock ||
	    BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP)
		return 0;
	listener_key_of(sk, &k);
	if (!k.port)
		return 0;
	id = bpf_get_current_pid_tgid();
	ugid = bpf_get_current_uid_gid();
	l.pid = id >> 32;
	l.tid = (__u32)id;
	l.uid = (__u32)ugid;
	l.gid = ugid >> 32;
	bpf_get_current_comm(l.comm, sizeof(l.comm));
	bpf_map_update_elem(&lt_tcp_listeners, &k, &l, BPF_ANY);
	return 0;
}

static __always_inline int on_unlisten(struct sock *sk)
{
	struct listener_key k = {};

	listener_key_of(sk, &k);
	bpf_map_delete_elem(&lt_tcp_listeners, &k);
	return 0;
}

/* The socket's address as a plain number (see slot_of); false only if the scratch is missing. */
static __always_inline bool socket_key(struct sock *sk, __u64 *key)
{
	struct inflight_slot *scratch;
	__u32 zero = 0;

	scratch = bpf_map_lookup_elem(&lt_tcp_scratch, &zero);
	if (!scratch)
		return false;
	scratch->socket = (__u64)sk;
	*key = *(volatile __u64 *)&scratch->socket;
	return true;
}

/* Remembers an established connection until its close. */
static __always_inline void track(struct tcp_counters *c, __u64 key, __u64 open_ns,
				  __u64 established_ns, bool inbound)
{
	struct lifetime l = {};

	l.open_ns = open_ns;
	l.established_ns = established_ns;
	l.inbound = inbound;
	if (bpf_map_update_elem(&lt_tcp_lifetimes, &key, &l, BPF_ANY) == 0)
		c->tracked++;
}

/* The socket's 4-tuple into an accept or close record's local/remote fields. */
static __always_inline __u16 read_local_remote(struct sock *sk, __u8 *laddr, __u8 *raddr,
					       __u16 *lport, __u16 *rport)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	__builtin_memset(laddr, 0, 16);
	__builtin_memset(raddr, 0, 16);
	if (family == AF_INET6) {
		BPF_CORE_READ_INTO((struct in6_addr *)raddr, sk, __sk_common.skc_v6_daddr);
		BPF_CORE_READ_INTO((struct in6_addr *)laddr, sk, __sk_common.skc_v6_rcv_saddr);
		if (is_v4_mapped(raddr)) {
			family = AF_INET;
			__builtin_memset(laddr, 0, 16);
			__builtin_memset(raddr, 0, 16);
		}
	}
	if (family == AF_INET) {
		*(__u32 *)raddr = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		*(__u32 *)laddr = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
	}
	*lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	*rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	return family;
}

/*
 * SYN_RECV -> ESTABLISHED of a listener's child socket. Usually in softirq context, so nothing
 * about the current task is used: the cgroup is the socket's (a child copies its listener's,
 * which the listen()ing task's cgroup set at socket()), the owner comes from lt_tcp_listeners.
 */
static __always_inline int on_accept(struct sock *sk, struct tcp_counters *c)
{
	struct listener_key k = {};
	struct listener *owner;
	struct tcp_accept *a;
	struct cgroup *cgrp = NULL;
	struct kernfs_node *kn;
	const char *name;
	__u64 key;

	a = bpf_ringbuf_reserve(&lt_tcp_events, sizeof(*a), 0);
	if (!a) {
		c->accept_ring_full++;
		return 0;
	}
	a->kind = TCP_RECORD_ACCEPT;
	a->start_ns = bpf_ktime_get_ns();
	a->family = read_local_remote(sk, a->laddr, a->raddr, &a->lport, &a->rport);
	listener_key_of(sk, &k);
	owner = bpf_map_lookup_elem(&lt_tcp_listeners, &k);
	if (owner) {
		a->owner_known = 1;
		a->pid = owner->pid;
		a->tid = owner->tid;
		a->uid = owner->uid;
		a->gid = owner->gid;
		__builtin_memcpy(a->comm, owner->comm, sizeof(a->comm));
	} else {
		a->owner_known = 0;
		a->pid = a->tid = a->uid = a->gid = 0;
		__builtin_memset(a->comm, 0, sizeof(a->comm));
	}
	a->cgroup_id = 0;
	a->cgroup_name[0] = '\0';
	if (bpf_core_field_exists(sk->sk_cgrp_data.cgroup))
		cgrp = BPF_CORE_READ(sk, sk_cgrp_data.cgroup);
	if (cgrp) {
		kn = BPF_CORE_READ(cgrp, kn);
		if (kn) {
			a->cgroup_id = BPF_CORE_READ(kn, id);
			name = BPF_CORE_READ(kn, name);
			if (!name || bpf_probe_read_kernel_str(a->cgroup_name,
							      sizeof(a->cgroup_name), name) < 0)
				a->cgroup_name[0] = '\0';
		}
	}
	if (follow_lifetime && socket_key(sk, &key))
		track(c, key, a->start_ns, a->start_ns, true);
	c->accepted++;
	submit(a, c);
	return 0;
}

/* -> CLOSE of a connection we saw established: how long it lived and what it carried. */
static __always_inline int on_close(struct sock *sk, struct tcp_counters *c)
{
	struct lifetime *l;
	struct tcp_close *r;
	__u64 key, now;

	if (!socket_key(sk, &key))
		return 0;
	l = bpf_map_lookup_elem(&lt_tcp_lifetimes, &key);
	if (!l)
		return 0;
	now = bpf_ktime_get_ns();
	r = bpf_ringbuf_reserve(&lt_tcp_events, sizeof(*r), 0);
	if (!r) {
		if (bpf_map_delete_elem(&lt_tcp_lifetimes, &key) == 0)
			c->close_ring_full++;
		return 0;
	}
	r->kind = TCP_RECORD_CLOSE;
	r->inbound = l->inbound;
	r->open_ns = l->open_ns;
	r->close_ns = now;
	r->duration_ns = now - l->established_ns;
	if (bpf_map_delete_elem(&lt_tcp_lifetimes, &key) != 0) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP); /* another CPU took it */
		return 0;
	}
	r->bytes_sent = BPF_CORE_READ((struct tcp_sock *)sk, bytes_acked);
	r->bytes_received = BPF_CORE_READ((struct tcp_sock *)sk, bytes_received);
	r->family = read_local_remote(sk, r->laddr, r->raddr, &r->lport, &r->rport);
	/* tcp_set_state released the local port (skc_num) just before this tracepoint. */
	if (!r->lport)
		r->lport = bpf_ntohs(BPF_CORE_READ((struct inet_sock *)sk, inet_sport));
	c->closed++;
	submit(r, c);
	return 0;
}

static __always_inline bool is_tcp(struct sock *sk, bool btf)
{
	__u16 protocol = btf ? BPF_CORE_READ_BITFIELD(sk, sk_protocol) :
			       BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);

	return protocol == IPPROTO_TCP;
}

static __always_inline int on_set_state(struct sock *sk, int oldstate, int newstate, bool btf)
{
	struct tcp_counters *c;

	if (newstate == TCP_SYN_SENT)
		return is_tcp(sk, btf) ? on_syn_sent(sk, btf) : 0;
	if (oldstate == TCP_SYN_SENT)
		return on_handshake_end(sk, newstate, btf);
	if (follow_lifetime && newstate == TCP_CLOSE && oldstate != TCP_LISTEN) {
		c = counters();
		return c ? on_close(sk, c) : 0;
	}
	if (!follow_inbound)
		return 0;
	if (newstate == TCP_ESTABLISHED && oldstate == TCP_SYN_RECV) {
		c = counters();
		return c && is_tcp(sk, btf) ? on_accept(sk, c) : 0;
	}
	/* A listener's child socket starts as a copy of it: LISTEN -> SYN_RECV is not a close. */
	if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE)
		return on_unlisten(sk);
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
