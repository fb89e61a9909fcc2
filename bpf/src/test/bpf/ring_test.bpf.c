// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* A syscall program the bpf module's tests run on demand: it fills a ring buffer, a hash map, a
 * mmapable array and per-CPU counters, so every reader can be checked against known contents. */
#include <lanthorn/bpf_base.h>
#include <bpf/bpf_helpers.h>

struct sample {
	__u64 seq;
	__u32 size;
	__u32 marker;
	__u8 payload[16];
};

struct totals {
	__u64 calls;
	__u64 records;
	__u64 ring_full;
};

struct run_args {
	__u32 count;
	__u32 first;
};

const volatile __u32 marker = 1;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct totals);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u64);
	__type(value, struct sample);
} table SEC(".maps");

/* 20 bytes: the array's elements are 24 apart. */
struct cell {
	__u64 seq;
	__u64 written;
	__u32 marker;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct cell);
} cells SEC(".maps");

SEC("syscall")
int produce(struct run_args *args)
{
	__u32 zero = 0, count = args->count, first = args->first;
	struct totals *t = bpf_map_lookup_elem(&totals, &zero);

	if (!t)
		return 1;
	t->calls++;
	for (__u32 i = 0; i < count && i < 1024; i++) {
		__u64 seq = first + i;
		struct sample *s = bpf_ringbuf_reserve(&ring, sizeof(*s), 0);

		if (!s) {
			t->ring_full++;
			continue;
		}
		s->seq = seq;
		s->size = sizeof(*s);
		s->marker = marker;
		__builtin_memset(s->payload, (__u8)seq, sizeof(s->payload));
		bpf_map_update_elem(&table, &seq, s, BPF_ANY);
		__u32 index = seq % 8;
		struct cell *cell = bpf_map_lookup_elem(&cells, &index);

		if (cell) {
			cell->seq = seq;
			__sync_fetch_and_add(&cell->written, 1);
			cell->marker = marker;
		}
		bpf_ringbuf_submit(s, BPF_RB_NO_WAKEUP);
		t->records++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
