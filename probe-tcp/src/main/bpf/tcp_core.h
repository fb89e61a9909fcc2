/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel structs the TCP probe reads, reduced to the fields it reads. preserve_access_index
 * makes every access a CO-RE relocation that libbpf resolves against the running kernel's BTF,
 * so offsets here do not matter and nesting may differ (libbpf finds fields inside the kernel's
 * anonymous unions by name). This replaces a vmlinux.h, which would tie the build to the build
 * machine's kernel.
 */
#ifndef LANTHORN_TCP_CORE_H
#define LANTHORN_TCP_CORE_H

#define AF_INET 2
#define AF_INET6 10
#define IPPROTO_TCP 6

enum {
	TCP_ESTABLISHED = 1,
	TCP_SYN_SENT = 2,
	TCP_SYN_RECV = 3,
	TCP_CLOSE = 7,
	TCP_LISTEN = 10,
};

struct in6_addr {
	__u8 s6_addr[16];
};

struct ns_common {
	unsigned int inum;
} __attribute__((preserve_access_index));

struct net {
	struct ns_common ns;
} __attribute__((preserve_access_index));

typedef struct {
	struct net *net;
} possible_net_t;

struct sock_common {
	possible_net_t skc_net;
	__be32 skc_daddr;
	__be32 skc_rcv_saddr;
	__be16 skc_dport;
	__u16 skc_num;
	unsigned short skc_family;
	struct in6_addr skc_v6_daddr;
	struct in6_addr skc_v6_rcv_saddr;
} __attribute__((preserve_access_index));

struct cgroup;

/* Linux 5.15+: the socket's cgroup v2, set when the socket was created (a child socket copies its
 * listener's). Older kernels packed it into a tagged union; there the field is absent and accepts
 * carry no cgroup. */
struct sock_cgroup_data {
	struct cgroup *cgroup;
} __attribute__((preserve_access_index));

struct socket;

struct sock {
	struct sock_common __sk_common;
	struct socket *sk_socket;
	struct sock_cgroup_data sk_cgrp_data;
	__u16 sk_protocol; /* a bitfield before 5.6: read with BPF_CORE_READ_BITFIELD_PROBED */
	int sk_err;
	int sk_err_soft;
} __attribute__((preserve_access_index));

/* Only for inet_sport: the local port, kept after the kernel released the port at CLOSE. */
struct inet_sock {
	__be16 inet_sport;
} __attribute__((preserve_access_index));

/* Read at close only: what the connection carried (bytes_acked: sent and acknowledged). */
struct tcp_sock {
	__u64 bytes_acked;
	__u64 bytes_received;
} __attribute__((preserve_access_index));

struct kernfs_node {
	const char *name;
	__u64 id; /* the cgroup id, for a cgroup's node (Linux 5.5+) */
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct mm_struct {
	unsigned long arg_start;
	unsigned long arg_end;
} __attribute__((preserve_access_index));

typedef struct {
	__u32 val;
} kuid_t;

typedef struct {
	__u32 val;
} kgid_t;

struct cred {
	kuid_t uid;
	kgid_t gid;
} __attribute__((preserve_access_index));

/* From a file descriptor to its socket, for the listen() hook. */
struct socket {
	struct sock *sk;
} __attribute__((preserve_access_index));

struct file {
	void *private_data;
} __attribute__((preserve_access_index));

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
} __attribute__((preserve_access_index));

struct files_struct {
	struct fdtable *fdt;
} __attribute__((preserve_access_index));

struct task_struct {
	struct files_struct *files;
	int pid;
	int tgid;
	const struct cred *cred;
	char comm[16];
	struct css_set *cgroups;
	struct mm_struct *mm;
} __attribute__((preserve_access_index));

/* The classic tracepoint's record (tracefs events/sock/inet_sock_set_state/format). */
struct trace_event_raw_inet_sock_set_state {
	const void *skaddr;
	int oldstate;
	int newstate;
} __attribute__((preserve_access_index));

/* The classic syscall tracepoints' record (events/syscalls/sys_enter_listen/format). */
struct trace_event_raw_sys_enter {
	long id;
	unsigned long args[6];
} __attribute__((preserve_access_index));

#endif
