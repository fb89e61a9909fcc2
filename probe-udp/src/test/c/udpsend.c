/* Sends COUNT datagrams with sendto() (no connect) to 127.0.0.1 on each port given, from one
 * socket. Static, so it runs in the busybox test image. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int count = atoi(argv[1]);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};

	if (fd < 0 || argc < 3)
		return 1;
	for (int p = 2; p < argc; p++) {
		to.sin_port = htons(atoi(argv[p]));
		for (int i = 0; i < count; i++)
			if (sendto(fd, "x", 1, 0, (struct sockaddr *)&to, sizeof(to)) != 1) {
				perror("sendto");
				return 1;
			}
	}
	printf("sent\n");
	return 0;
}
