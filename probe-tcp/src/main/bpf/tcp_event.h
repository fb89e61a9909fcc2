/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one definition of what the kernel program hands to user space. RecordLayout.java mirrors
 * it; RecordLayoutTest compares the two through this struct's BTF in the compiled object, so a
 * change here that is not made there fails the build. Every field is naturally aligned and the
 * struct has no implicit padding.
 */
#ifndef LANTHORN_TCP_EVENT_H
#define LANTHORN_TCP_EVENT_H

#define TCP_EVENT_COMM_LEN 16
#define TCP_EVENT_CGROUP_NAME_LEN 128
#define TCP_EVENT_ARGV_LEN 128

/* One connection attempt: the ring-buffer record, and the in-flight map's value. */
struct tcp_event {
	__u64 start_ns;      /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) at -> SYN_SENT */
	__u64 latency_ns;    /* from SYN_SENT to the outcome; 0 while in flight */
	__u64 cgroup_id;     /* the connecting task's cgroup v2 id */
	__u32 pid;           /* thread group id */
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__s32 error;         /* at -> CLOSE: sk_err, else sk_err_soft; 0 otherwise */
	__u16 family;        /* AF_INET or AF_INET6; v4-mapped IPv6 is reported as AF_INET */
	__u16 protocol;      /* IPPROTO_TCP */
	__u16 sport;         /* host byte order; 0 until the kernel picked it */
	__u16 dport;         /* host byte order */
	__u8 state;          /* the TCP state it went to; TCP_SYN_SENT while in flight */
	__u8 reserved;
	__u16 argv_len;      /* bytes of argv captured, NUL-separated */
	__u8 saddr[16];      /* IPv4 in the first 4 bytes */
	__u8 daddr[16];
	char comm[TCP_EVENT_COMM_LEN];
	char cgroup_name[TCP_EVENT_CGROUP_NAME_LEN]; /* leaf of the cgroup v2 path, NUL-terminated */
	char argv[TCP_EVENT_ARGV_LEN];
};

/* Per-CPU counters, summed by user space. */
struct tcp_counters {
	__u64 started;       /* TCP sockets that went to SYN_SENT */
	__u64 emitted;       /* records submitted to the ring */
	__u64 ring_full;     /* attempts lost: no room in the ring */
	__u64 inflight_full; /* attempts lost: no room in the in-flight map */
	__u64 unmatched;     /* handshakes ending that were not seen starting (e.g. begun before attach) */
};

#endif
