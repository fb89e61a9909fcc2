// SPDX-License-Identifier: Apache-2.0
/*
 * connect_storm: opens and closes loopback TCP connections as fast as the machine allows, as a
 * workload for measuring what a connection probe costs it. It listens on 127.0.0.1 itself (an
 * ephemeral port), accepts and closes on one thread, and connects from THREADS threads; clients
 * close with a reset (SO_LINGER 0) so no TIME_WAIT sockets pile up between runs.
 *
 * usage: connect_storm ATTEMPTS THREADS
 * prints: attempts=N failed=F seconds=S rate=R cpu_us=C
 *   rate: attempts per second; cpu_us: CPU time (user + system, all threads, including the
 *   softirq work the kernel charges to them) per attempt, in microseconds: unlike the rate, it
 *   barely depends on what else the machine runs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in target;
static long per_thread;
static atomic_long failed;
static atomic_int done;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *acceptor(void *arg)
{
	int listener = *(int *)arg;

	while (!atomic_load(&done)) {
		int fd = accept4(listener, NULL, NULL, SOCK_CLOEXEC);

		if (fd >= 0)
			close(fd);
	}
	return NULL;
}

static void *connector(void *arg)
{
	struct linger reset = { .l_onoff = 1, .l_linger = 0 };

	(void)arg;
	for (long i = 0; i < per_thread; i++) {
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0) {
			atomic_fetch_add(&failed, 1);
			continue;
		}
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof(reset));
		if (connect(fd, (struct sockaddr *)&target, sizeof(target)) != 0)
			atomic_fetch_add(&failed, 1);
		close(fd);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	socklen_t len = sizeof(target);
	pthread_t accept_thread, threads[64];
	long attempts;
	int nthreads, listener;
	double start, seconds, cpu;
	struct rusage usage;

	if (argc != 3 || (attempts = atol(argv[1])) <= 0 || (nthreads = atoi(argv[2])) <= 0 ||
	    nthreads > 64) {
		fprintf(stderr, "usage: connect_storm ATTEMPTS THREADS(1-64)\n");
		return 2;
	}
	per_thread = attempts / nthreads;
	attempts = per_thread * nthreads;

	target.sin_family = AF_INET;
	target.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0 || bind(listener, (struct sockaddr *)&target, sizeof(target)) != 0 ||
	    listen(listener, 4096) != 0 ||
	    getsockname(listener, (struct sockaddr *)&target, &len) != 0) {
		perror("connect_storm: listen on 127.0.0.1");
		return 1;
	}
	pthread_create(&accept_thread, NULL, acceptor, &listener);

	start = now();
	for (int i = 0; i < nthreads; i++)
		pthread_create(&threads[i], NULL, connector, NULL);
	for (int i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	seconds = now() - start;

	atomic_store(&done, 1);
	shutdown(listener, SHUT_RDWR); /* wakes the acceptor */
	pthread_join(accept_thread, NULL);
	getrusage(RUSAGE_SELF, &usage);
	cpu = usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
	      (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
	printf("attempts=%ld failed=%ld seconds=%.3f rate=%.0f cpu_us=%.2f\n", attempts,
	       atomic_load(&failed), seconds, attempts / seconds, cpu * 1e6 / attempts);
	return 0;
}
