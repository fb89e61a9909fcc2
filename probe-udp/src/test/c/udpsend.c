/* udpsend [-c] [-s SIZE] COUNT PORT...: sends COUNT datagrams of SIZE bytes (default 1) to
 * 127.0.0.1 on each port given. Without -c, from one socket with sendto() (no connect); with -c,
 * from one socket per port, connect()ed to it, with send(), while a socket of its own is bound to
 * that port (so that no "port unreachable" fails the next send). Static, so it runs in the busybox test
 * image. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char payload[65507];
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
	int connected = 0, size = 1, opt, count, fd = -1;

	while ((opt = getopt(argc, argv, "cs:")) != -1) {
		if (opt == 'c')
			connected = 1;
		else if (opt == 's')
			size = atoi(optarg);
		else
			return 2;
	}
	if (argc - optind < 2 || size < 0 || size > (int)sizeof(payload)) {
		fprintf(stderr, "usage: udpsend [-c] [-s SIZE] COUNT PORT...\n");
		return 2;
	}
	memset(payload, 'x', sizeof(payload));
	count = atoi(argv[optind]);
	for (int p = optind + 1; p < argc; p++) {
		to.sin_port = htons(atoi(argv[p]));
		if (connected) {
			int sink = socket(AF_INET, SOCK_DGRAM, 0); /* left open until exit */

			if (sink < 0 || bind(sink, (struct sockaddr *)&to, sizeof(to))) {
				perror("socket/bind");
				return 1;
			}
		}
		if (fd < 0 || connected) {
			if (fd >= 0)
				close(fd);
			fd = socket(AF_INET, SOCK_DGRAM, 0);
			if (fd < 0 || (connected && connect(fd, (struct sockaddr *)&to, sizeof(to)))) {
				perror("socket/connect");
				return 1;
			}
		}
		for (int i = 0; i < count; i++) {
			ssize_t n = connected ? send(fd, payload, size, 0)
					      : sendto(fd, payload, size, 0, (struct sockaddr *)&to,
						       sizeof(to));
			if (n != size) {
				perror("send");
				return 1;
			}
		}
	}
	printf("sent\n");
	return 0;
}
