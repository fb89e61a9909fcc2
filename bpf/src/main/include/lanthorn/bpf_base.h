/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every Lanthorn BPF program needs before libbpf's <bpf/bpf_helpers.h>: fixed-size integer
 * types and the few UAPI constants we use. Defined here rather than taken from a vmlinux.h dumped
 * from the build machine's kernel, so the build never depends on the kernel it runs on; these
 * values are kernel ABI and never change. Kernel structs are declared by each program, with only
 * the fields it reads and preserve_access_index, so libbpf relocates them (CO-RE) at load time.
 */
#ifndef LANTHORN_BPF_BASE_H
#define LANTHORN_BPF_BASE_H

typedef signed char __s8;
typedef unsigned char __u8;
typedef short __s16;
typedef unsigned short __u16;
typedef int __s32;
typedef unsigned int __u32;
typedef long long __s64;
typedef unsigned long long __u64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
#define true 1
#define false 0

enum bpf_map_type_used {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_PERCPU_ARRAY = 6,
	BPF_MAP_TYPE_LRU_HASH = 9,
	BPF_MAP_TYPE_RINGBUF = 27,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
};

/* Map flags. */
enum {
	BPF_F_MMAPABLE = 1U << 10, /* an array user space may mmap */
};

#define EEXIST 17

/* bpf_ringbuf_submit() flags and bpf_ringbuf_query() selectors. */
enum {
	BPF_RB_NO_WAKEUP = 1,
	BPF_RB_FORCE_WAKEUP = 2,
	BPF_RB_AVAIL_DATA = 0,
};

#endif
