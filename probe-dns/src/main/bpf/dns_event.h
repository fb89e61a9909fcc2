/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The records lt_dns_events carries to user space and the counters it keeps. RecordLayout.java
 * mirrors them; RecordLayoutTest checks both against this object's BTF.
 */
#ifndef LANTHORN_DNS_EVENT_H
#define LANTHORN_DNS_EVENT_H

#define DNS_MAX_PAYLOAD 512
#define DNS_PORT 53
#define DNS_CGROUP_NAME_LEN 128

/*
 * Who sent a query, remembered per socket cookie by the sock_addr hooks. The cgroup's name is read
 * there, in the sender's task: by the time user space reads the response, a --rm container's
 * cgroup directory may already be gone.
 */
struct dns_owner {
	__u64 cgroup_id;
	__u32 pid;
	__u32 tid;
	char comm[16];
	char cgroup_name[DNS_CGROUP_NAME_LEN]; /* leaf of the cgroup v2 path, NUL-terminated */
};

/* One DNS response delivered to a socket: who asked, from which server, and its first bytes. */
struct dns_response {
	__u64 ktime_ns;        /* bpf_ktime_get_ns() when delivered */
	__u64 cgroup_id;       /* the receiving socket's cgroup */
	__u64 socket_cookie;
	__u32 pid;             /* 0 when no query from this socket was seen */
	__u32 tid;
	char comm[16];
	char cgroup_name[DNS_CGROUP_NAME_LEN]; /* the sender's, when it is the receiving cgroup; else empty */
	__u8 server[16];       /* source address: IPv4 in the first four bytes */
	__u8 family;           /* 4 or 6 */
	__u8 transport;        /* 17 UDP, 6 TCP */
	__u16 payload_length;  /* bytes of payload copied */
	__u16 packet_payload;  /* bytes of payload the packet carried */
	__u16 _pad;
	__u8 payload[DNS_MAX_PAYLOAD];
};

struct dns_counters {
	__u64 responses;       /* packets from port 53 delivered to a socket */
	__u64 ring_full;       /* responses lost: the ring was full */
	__u64 truncated;       /* responses longer than DNS_MAX_PAYLOAD, copied in part */
	__u64 unknown_owner;   /* responses on a socket no hook saw send a query */
	__u64 queries;         /* queries to port 53 whose sender was remembered */
	__u64 owner_full;      /* senders not remembered: an update failed */
};

#endif
