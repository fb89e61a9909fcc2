/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one definition of what the kernel program hands to user space. RecordLayout.java mirrors
 * it; RecordLayoutTest compares the two through these structs' BTF in the compiled object, so a
 * change here that is not made there fails the build. Every field is naturally aligned and no
 * struct has implicit padding.
 */
#ifndef LANTHORN_TCP_EVENT_H
#define LANTHORN_TCP_EVENT_H

#define TCP_EVENT_COMM_LEN 16
#define TCP_EVENT_CGROUP_NAME_LEN 128
#define TCP_EVENT_ARGV_LEN 128

/* The first byte of every ring record says which struct it is. */
enum tcp_record_kind {
	TCP_RECORD_CONNECTION = 1,
	TCP_RECORD_PROCESS = 2,
	TCP_RECORD_ACCEPT = 3,
	TCP_RECORD_CLOSE = 4,
};

/*
 * One connection attempt: the ring record, and the in-flight map's value. The process's arguments
 * and its cgroup's name are not repeated here: a struct tcp_process announced them earlier in the
 * ring, and (pid, exec_id) and cgroup_id find them.
 */
struct tcp_event {
	__u8 kind;           /* TCP_RECORD_CONNECTION */
	__u8 state;          /* the TCP state it went to; TCP_SYN_SENT while in flight */
	__u16 family;        /* AF_INET or AF_INET6; v4-mapped IPv6 is reported as AF_INET */
	__u16 sport;         /* host byte order; 0 until the kernel picked it */
	__u16 dport;         /* host byte order */
	__s32 error;         /* at -> CLOSE: sk_err, else sk_err_soft; 0 otherwise */
	__u32 pid;           /* thread group id */
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__u32 reserved;
	__u64 start_ns;      /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) at -> SYN_SENT */
	__u64 latency_ns;    /* from SYN_SENT to the outcome; 0 while in flight */
	__u64 cgroup_id;     /* the connecting task's cgroup v2 id */
	__u64 exec_id;       /* the process image (its mm_struct's address); 0 for kernel threads */
	__u8 saddr[16];      /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	char comm[TCP_EVENT_COMM_LEN];
};

/*
 * A process image and its cgroup, written before the first connection record that refers to them
 * (per CPU; again whenever the process execs or changes cgroup, and every few seconds).
 */
struct tcp_process {
	__u8 kind;           /* TCP_RECORD_PROCESS */
	__u8 reserved;
	__u16 argv_len;      /* bytes of argv captured, NUL-separated */
	__u32 pid;
	__u64 exec_id;
	__u64 cgroup_id;
	char cgroup_name[TCP_EVENT_CGROUP_NAME_LEN]; /* leaf of the cgroup v2 path, NUL-terminated */
	char argv[TCP_EVENT_ARGV_LEN];
};

/*
 * An inbound connection a listening socket accepted (SYN_RECV -> ESTABLISHED of the child
 * socket), usually seen in softirq context: the current task is arbitrary, so the cgroup is the
 * socket's own and the owner is the task that called listen() on the port, if that was seen.
 */
struct tcp_accept {
	__u8 kind;           /* TCP_RECORD_ACCEPT */
	__u8 owner_known;    /* 1 when the listen() on this port (in this netns) was seen */
	__u16 family;
	__u16 lport;         /* host byte order: the service's port */
	__u16 rport;         /* the peer's port */
	__u32 pid;           /* the listen() caller: thread group id, thread, real ids; 0 unknown */
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__u64 start_ns;      /* bpf_ktime_get_ns() at ESTABLISHED */
	__u64 cgroup_id;     /* the socket's cgroup v2 id; 0 unknown */
	__u8 laddr[16];
	__u8 raddr[16];
	char comm[TCP_EVENT_COMM_LEN]; /* the listen() caller's */
	char cgroup_name[TCP_EVENT_CGROUP_NAME_LEN]; /* leaf of the socket's cgroup v2 path */
};

/*
 * An established connection (outbound or accepted) that closed: refers to its opening record by
 * open_ns (that record's start_ns) and its addresses.
 */
struct tcp_close {
	__u8 kind;           /* TCP_RECORD_CLOSE */
	__u8 inbound;        /* 1 for an accepted connection */
	__u16 family;
	__u16 lport;
	__u16 rport;
	__u64 open_ns;       /* start_ns of the connection or accept record */
	__u64 close_ns;      /* bpf_ktime_get_ns() at -> CLOSE */
	__u64 duration_ns;   /* ESTABLISHED to CLOSE */
	__u64 bytes_sent;    /* tcp_sock.bytes_acked at close */
	__u64 bytes_received; /* tcp_sock.bytes_received at close */
	__u8 laddr[16];
	__u8 raddr[16];
};

/* Per-CPU counters, summed by user space. */
struct tcp_counters {
	__u64 started;       /* TCP sockets that went to SYN_SENT */
	__u64 emitted;       /* connection records submitted to the ring */
	__u64 ring_full;     /* attempts lost: no room in the ring (for the connection record, or at
			      * SYN_SENT for the process record it needed) */
	__u64 inflight_full; /* attempts lost: no room in the in-flight map */
	__u64 unmatched;     /* handshakes ending that were not seen starting (e.g. begun before attach) */
	__u64 replaced;      /* attempts lost: their end went unseen (a skipped run), found when their
			      * socket's address began another attempt */
	__u64 accepted;      /* accept records submitted */
	__u64 accept_ring_full; /* accepts lost: no room in the ring */
	__u64 tracked;       /* established connections entered into the lifetime map */
	__u64 closed;        /* close records submitted */
	__u64 close_ring_full; /* closes lost: no room in the ring */
};

#endif
