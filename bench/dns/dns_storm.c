// A DNS response storm for bench/dns/run.sh: THREADS threads, each on its own UDP socket, keep
// WINDOW queries for NAME in flight to SERVER:53 for SECONDS, and count the responses.
// Prints: sent=N received=N timeouts=N seconds=S rate=R (responses per second).
// Usage: dns_storm SERVER NAME SECONDS [THREADS [WINDOW]]
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;
static unsigned char query[512];
static size_t query_len;
static double seconds;
static int window;
static atomic_long sent, received, timeouts;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t build_query(const char *name, unsigned char *out)
{
	size_t n = 0;
	unsigned char header[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
	memcpy(out, header, sizeof(header));
	n = sizeof(header);
	const char *p = name;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);
		out[n++] = (unsigned char)len;
		memcpy(out + n, p, len);
		n += len;
		p += len;
		if (*p == '.')
			p++;
	}
	out[n++] = 0;
	out[n++] = 0; out[n++] = 1; /* A */
	out[n++] = 0; out[n++] = 1; /* IN */
	return n;
}

static void *run(void *arg)
{
	(void)arg;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0) {
		perror("socket");
		exit(2);
	}
	unsigned char buf[1500];
	double end = now() + seconds;
	while (now() < end) {
		for (int i = 0; i < window; i++) {
			if (send(fd, query, query_len, 0) == (ssize_t)query_len)
				atomic_fetch_add(&sent, 1);
		}
		for (int i = 0; i < window; i++) {
			struct pollfd pfd = {.fd = fd, .events = POLLIN};
			if (poll(&pfd, 1, 200) <= 0) {
				atomic_fetch_add(&timeouts, 1);
				break;
			}
			if (recv(fd, buf, sizeof(buf), 0) > 0)
				atomic_fetch_add(&received, 1);
		}
	}
	/* Late responses still count: drain briefly. */
	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		if (poll(&pfd, 1, 100) <= 0 || recv(fd, buf, sizeof(buf), 0) <= 0)
			break;
		atomic_fetch_add(&received, 1);
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s SERVER NAME SECONDS [THREADS [WINDOW]]\n", argv[0]);
		return 2;
	}
	server.sin_family = AF_INET;
	server.sin_port = htons(53);
	if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1) {
		fprintf(stderr, "dns_storm: %s is not an IPv4 address\n", argv[1]);
		return 2;
	}
	query_len = build_query(argv[2], query);
	seconds = atof(argv[3]);
	int threads = argc > 4 ? atoi(argv[4]) : 2;
	window = argc > 5 ? atoi(argv[5]) : 16;
	pthread_t t[64];
	if (threads < 1 || threads > 64)
		threads = 2;
	double start = now();
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, run, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	double elapsed = now() - start;
	printf("sent=%ld received=%ld timeouts=%ld seconds=%.2f rate=%.0f\n", atomic_load(&sent),
	       atomic_load(&received), atomic_load(&timeouts), elapsed, atomic_load(&received) / elapsed);
	return 0;
}
