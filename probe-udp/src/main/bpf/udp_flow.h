/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The UDP flow map's key and value: the one definition of what user space reads. RecordLayout.java
 * mirrors it; RecordLayoutTest compares both through the BTF of the compiled object.
 */
#ifndef LANTHORN_UDP_FLOW_H
#define LANTHORN_UDP_FLOW_H

#define UDP_FLOW_COMM_LEN 16
#define UDP_FLOW_CGROUP_NAME_LEN 128

/* One (process, socket, destination). */
struct udp_flow_key {
	__u64 cookie;        /* the socket's cookie: one per socket for its lifetime */
	__u32 pid;           /* thread group id of the sender */
	__u16 family;        /* AF_INET or AF_INET6 (v4-mapped IPv6 reported as AF_INET) */
	__u16 dport;         /* host byte order */
	__u8 daddr[16];      /* IPv4 in the first 4 bytes */
};

/* What was sent there: updated per datagram, read and aged out by user space. */
struct udp_flow {
	__u64 first_ns;      /* bpf_ktime_get_ns() at the first datagram (or connect) */
	__u64 last_ns;       /* at the latest */
	__u64 datagrams;     /* datagrams sent there; 0 after a connect() alone */
	__u64 bytes;         /* their payload bytes, as sendmsg() returned them */
	__u64 cgroup_id;
	__u32 tid;
	__u32 uid;
	__u32 gid;
	__u16 sport;         /* the local port when known (0 before the socket is bound) */
	__u8 connected;      /* 1 when first seen at connect() */
	__u8 reserved;
	__u8 saddr[16];
	char comm[UDP_FLOW_COMM_LEN];
	char cgroup_name[UDP_FLOW_CGROUP_NAME_LEN];
};

/* Per-CPU counters, summed by user space. */
struct udp_counters {
	__u64 seen;          /* sendmsg/connect calls on UDP sockets (port 53 excluded) */
	__u64 new_flows;     /* flows entered into the map */
	__u64 map_full;      /* flows that found no room (an LRU evicts instead: see README) */
	__u64 unmatched;     /* sends on unconnected sockets whose sendmsg hook was not seen */
};

#endif
