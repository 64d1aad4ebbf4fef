/* SPDX-License-Identifier: MIT */
/*
 * notify_listen — the systemd side of sd_notify, for tests: binds an AF_UNIX
 * datagram socket where NOTIFY_SOCKET will point, as systemd does for a
 * Type=notify unit, and prints every assignment it receives on a line of its
 * own ("READY=1", "WATCHDOG=1", "STATUS=..."), flushed at once, so a test can
 * grep and count them while the program under test runs.
 *
 *   notify_listen PATH     a socket file (removed first if it exists)
 *   notify_listen @NAME    a name in the abstract namespace
 *
 * Prints "listening" first, once bound. Runs until killed.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    size_t n = argc == 2 ? strlen(argv[1]) : 0;
    if (n < 2 || n >= sizeof sa.sun_path || (argv[1][0] != '/' && argv[1][0] != '@')) {
        fprintf(stderr, "usage: notify_listen /PATH | @NAME\n");
        return 2;
    }
    memcpy(sa.sun_path, argv[1], n);
    socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    if (argv[1][0] == '@')
        sa.sun_path[0] = '\0';
    else
        unlink(argv[1]);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len) != 0) {
        perror("notify_listen: bind");
        return 1;
    }
    printf("listening\n");
    fflush(stdout);
    char buf[4096];
    for (;;) {
        ssize_t got = recv(fd, buf, sizeof buf - 1, 0);
        if (got < 0) {
            perror("notify_listen: recv");
            return 1;
        }
        buf[got] = '\0';
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
            printf("%s\n", line);
        fflush(stdout);
    }
}
