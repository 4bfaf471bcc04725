/*
 * worker_client.c - start a vg-worker process and talk to it under
 * deadlines.
 *
 * The worker is started with fork + exec: after exec nothing of the host's
 * address space (an initialised CUDA runtime, OpenCL ICDs, thread pools) is
 * left in the child, which is the only safe way to start fresh once a GPU
 * runtime was used.  Between fork and exec the child makes only
 * async-signal-safe calls.
 *
 * Each call waits for the reply with poll() on the socket and on the
 * worker's stdout pipe, until the op's deadline.  Anything but a well-formed
 * reply in time ends the worker: see worker_died().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loader/library_location.h"
#include "loader/worker.h"
#include "loader/worker_io.h"
#include "vg/interrupt.h"

struct vg_worker {
    pid_t pid;
    int sock;     /* requests and replies */
    int out_pipe; /* the worker's stdout; -1 once it closed */
    int shm_fd;
    uint8_t *shm;
    uint64_t shm_size;
    double timeout_scale;
    char *path;
    bool dead;
    int death_code; /* VG_ERR_CRASHED, or VG_ERR_INTERRUPTED */
    char death[VG_TEXT_MAX * 4];
    /* The forwarding descriptor handed out by vg_worker_open, here so that
     * it lives exactly as long as the contexts opened on this worker. */
    vg_plugin slots;
};

/* ---- deadlines ----------------------------------------------------------- */

/* Defaults a slow but healthy backend never reaches.  Control calls may
 * compile programs (OpenCL) or create a GPU context (CUDA).  A kernel's
 * deadline grows with the frame: the scalar CPU path needs about 0.26 us
 * per pixel for a 19-tap blur (539 ms at 1920x1080, docs/benchmarks.md),
 * so about 1.8 us for the widest, 129 taps; 10 us per pixel gives that five
 * times over, and 16384x16384 about 45 minutes. */
#define DEADLINE_CONTROL_S 60.0
#define DEADLINE_OPEN_S 120.0
#define DEADLINE_FRAME_S 10.0
#define DEADLINE_KERNEL_S 10.0
#define DEADLINE_KERNEL_PER_PIXEL_S 10e-6

static double deadline_seconds(const vg_worker *w, uint32_t op, uint64_t pixels)
{
    enum { CONTROL, OPEN, FRAME, KERNEL } cls = CONTROL;
    switch ((vg_worker_op)op) {
#define VG_WORKER_OP_CLASS_(slot, op, text, deadline, form)                    \
    case VG_WORKER_OP_##op:                                                    \
        cls = deadline;                                                        \
        break;
        VG_WORKER_OP_TABLE(VG_WORKER_OP_CLASS_)
#undef VG_WORKER_OP_CLASS_
    case VG_WORKER_OP_COUNT:
        break;
    }
    double s =
        cls == OPEN    ? DEADLINE_OPEN_S
        : cls == FRAME ? DEADLINE_FRAME_S
        : cls == KERNEL
            ? DEADLINE_KERNEL_S + DEADLINE_KERNEL_PER_PIXEL_S * (double)pixels
            : DEADLINE_CONTROL_S;
    return s * w->timeout_scale;
}

static const char *op_name(uint32_t op)
{
    switch ((vg_worker_op)op) {
#define VG_WORKER_OP_NAME_(slot, op, text, deadline, form)                     \
    case VG_WORKER_OP_##op:                                                    \
        return text;
        VG_WORKER_OP_TABLE(VG_WORKER_OP_NAME_)
#undef VG_WORKER_OP_NAME_
    case VG_WORKER_OP_COUNT:
        break;
    }
    return "an unknown call";
}

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* ---- death --------------------------------------------------------------- */

typedef enum failure {
    FAIL_EOF,       /* the socket closed: the process crashed or exited */
    FAIL_DEADLINE,  /* no reply in time */
    FAIL_STDOUT,    /* it wrote to stdout */
    FAIL_PROTOCOL,  /* a malformed reply */
    FAIL_INTERRUPT, /* the user asked to stop */
} failure;

/* SIGKILL the worker and everything in its process group. */
static void kill_worker(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Wait for the process; after `grace_s` seconds, kill it and wait again. */
static int reap(pid_t pid, double grace_s)
{
    int status = 0;
    double until = now_seconds() + grace_s;
    for (;;) {
        pid_t got = waitpid(pid, &status, grace_s > 0 ? WNOHANG : 0);
        if (got == pid)
            return status;
        if (got < 0 && errno != EINTR)
            return 0;
        if (grace_s > 0 && now_seconds() >= until) {
            kill_worker(pid);
            grace_s = 0;
        } else if (grace_s > 0) {
            struct timespec pause = {0, 2000000};
            nanosleep(&pause, NULL);
        }
    }
}

/* "SIGSEGV" for 11. */
static void signal_text(int sig, char *out, size_t size)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(out, size, "SIG%s", abbrev);
    else
        snprintf(out, size, "signal %d", sig);
}

/* The first bytes a plugin printed, made printable, for the reason. */
static void stray_output(int fd, char *out, size_t size)
{
    char bytes[48];
    ssize_t n = read(fd, bytes, sizeof bytes);
    size_t used = 0;
    for (ssize_t i = 0; i < n && used + 2 < size; i++)
        out[used++] = bytes[i] >= 0x20 && bytes[i] < 0x7f ? bytes[i] : '.';
    out[used] = '\0';
}

/* End the worker and record why, naming the file and the call. */
static int worker_died(vg_worker *w, failure why, uint32_t op, double limit_s)
{
    const char *call = op_name(op);
    char detail[96] = "";
    if (why == FAIL_STDOUT && w->out_pipe >= 0)
        stray_output(w->out_pipe, detail, sizeof detail);
    int status = 0;
    if (why == FAIL_EOF) {
        /* The socket closed; the process is exiting or has exited.  Then
         * end whatever it left in its process group. */
        status = reap(w->pid, 2.0);
        kill(-w->pid, SIGKILL);
    } else {
        kill_worker(w->pid);
        status = reap(w->pid, 0);
    }
    w->pid = -1;
    w->dead = true;
    close_fd(&w->sock);
    close_fd(&w->out_pipe);
    char sig[32];
    switch (why) {
    case FAIL_EOF:
        if (WIFSIGNALED(status)) {
            signal_text(WTERMSIG(status), sig, sizeof sig);
            snprintf(w->death, sizeof w->death, "%s: crashed in %s (%s)",
                     w->path, call, sig);
        } else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 &&
                   op == VG_WORKER_OP_LOAD) {
            snprintf(w->death, sizeof w->death,
                     "%s: the vg-worker executable could not be started",
                     w->path);
        } else {
            snprintf(w->death, sizeof w->death,
                     "%s: exited with status %d in %s (plugins must not "
                     "exit)",
                     w->path, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                     call);
        }
        break;
    case FAIL_DEADLINE:
        snprintf(w->death, sizeof w->death,
                 "%s: no answer from %s within %.1f s (killed; "
                 "isolation.timeout_scale multiplies every deadline)",
                 w->path, call, limit_s);
        break;
    case FAIL_STDOUT:
        snprintf(w->death, sizeof w->death,
                 "%s: wrote to standard output in %s (\"%s\"): plugins must "
                 "not print (killed)",
                 w->path, call, detail);
        break;
    case FAIL_PROTOCOL:
        snprintf(w->death, sizeof w->death,
                 "%s: sent a malformed reply to %s (killed)", w->path, call);
        break;
    case FAIL_INTERRUPT:
        snprintf(w->death, sizeof w->death, "%s: interrupted in %s", w->path,
                 call);
        break;
    }
    w->death_code = why == FAIL_INTERRUPT ? VG_ERR_INTERRUPTED : VG_ERR_CRASHED;
    return w->death_code;
}

/* ---- waiting for bytes --------------------------------------------------- */

/* Read exactly `size` bytes from the socket before `until`, watching the
 * stdout pipe.  0, or a failure to hand to worker_died. */
static int wait_bytes(vg_worker *w, void *data, size_t size, double until,
                      failure *why)
{
    char *p = data;
    while (size > 0) {
        if (vg_interrupt_pending()) {
            *why = FAIL_INTERRUPT;
            return -1;
        }
        double left = until - now_seconds();
        if (left <= 0) {
            *why = FAIL_DEADLINE;
            return -1;
        }
        struct pollfd fds[2] = {{.fd = w->sock, .events = POLLIN},
                                {.fd = w->out_pipe, .events = POLLIN}};
        /* Wake at least every 100 ms: an interrupt that arrived between
         * the check above and poll() is still seen promptly. */
        int ms = left > 0.1 ? 100 : (int)(left * 1000.0) + 1;
        int ready = poll(fds, w->out_pipe >= 0 ? 2 : 1, ms);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready < 0) {
            *why = FAIL_PROTOCOL;
            return -1;
        }
        if (w->out_pipe >= 0 && (fds[1].revents & POLLIN)) {
            *why = FAIL_STDOUT;
            return -1;
        }
        if (w->out_pipe >= 0 && (fds[1].revents & (POLLHUP | POLLERR)))
            close_fd(&w->out_pipe); /* it closed its stdout: nothing more */
        if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        ssize_t n = recv(w->sock, p, size, MSG_DONTWAIT);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            *why = FAIL_EOF;
            return -1;
        }
        p += n;
        size -= (size_t)n;
    }
    return 0;
}

/* After a reply: did the plugin print during the call?  The worker flushes
 * stdout before replying, so the bytes are already in the pipe. */
static bool printed(const vg_worker *w)
{
    if (w->out_pipe < 0)
        return false;
    struct pollfd fd = {.fd = w->out_pipe, .events = POLLIN};
    return poll(&fd, 1, 0) > 0 && (fd.revents & POLLIN);
}

int vg_worker_call(vg_worker *w, vg_worker_request *req, const void *payload,
                   vg_worker_reply *reply, void *reply_payload,
                   uint32_t reply_payload_cap, uint64_t pixels)
{
    memset(reply, 0, sizeof *reply);
    if (!w->dead && vg_interrupt_pending())
        worker_died(w, FAIL_INTERRUPT, req->op, 0);
    if (w->dead) {
        snprintf(reply->message, sizeof reply->message, "%s", w->death);
        return w->death_code;
    }
    double limit = deadline_seconds(w, req->op, pixels);
    double until = now_seconds() + limit;
    req->shm_size = w->shm_size;
    failure why = FAIL_EOF;
    int rc = 0;
    if (!vg_worker_send_all(w->sock, req, sizeof *req) ||
        (req->payload_size &&
         !vg_worker_send_all(w->sock, payload, req->payload_size)))
        rc = -1; /* the socket is gone: find out why below */
    if (rc == 0)
        rc = wait_bytes(w, reply, sizeof *reply, until, &why);
    if (rc == 0 && reply->payload_size > reply_payload_cap) {
        why = FAIL_PROTOCOL;
        rc = -1;
    }
    if (rc == 0 && reply->payload_size)
        rc = wait_bytes(w, reply_payload, reply->payload_size, until, &why);
    if (rc == 0 && printed(w)) {
        why = FAIL_STDOUT;
        rc = -1;
    }
    if (rc != 0) {
        rc = worker_died(w, why, req->op, limit);
        snprintf(reply->message, sizeof reply->message, "%s", w->death);
        return rc;
    }
    reply->message[sizeof reply->message - 1] = '\0';
    return 0;
}

/* ---- starting ------------------------------------------------------------ */

/* Where vg-worker is: $VG_WORKER, else beside the libvg running this code:
 * the build tree's when it runs from the build tree, else the install's
 * (their relative position is kept, so a moved prefix still works). */
static bool find_executable(char *out, size_t size)
{
    const char *env = secure_getenv("VG_WORKER");
    if (env && *env) {
        snprintf(out, size, "%s", env);
        return access(out, X_OK) == 0;
    }
    char *libdir = vg_library_dir();
    if (libdir && !vg_library_dir_is_build_tree(libdir))
        snprintf(out, size, "%s/%s", libdir, VG_WORKER_FROM_LIBDIR);
    else
        snprintf(out, size, "%s", VG_BUILD_WORKER_PATH);
    free(libdir);
    return access(out, X_OK) == 0;
}

/* In the child, between fork and exec: async-signal-safe calls only. */
static void exec_child(const char *exe, char *const argv[], int sock,
                       int shm_fd, int out_fd, int null_fd, pid_t parent)
{
    /* Move the fds above the ones they go to, so no dup2 overwrites a
     * source; dup2 then clears close-on-exec on the targets. */
    int s = fcntl(sock, F_DUPFD, 10), m = fcntl(shm_fd, F_DUPFD, 10);
    int o = fcntl(out_fd, F_DUPFD, 10), n = fcntl(null_fd, F_DUPFD, 10);
    if (s < 0 || m < 0 || o < 0 || n < 0 || dup2(n, 0) < 0 || dup2(o, 1) < 0 ||
        dup2(s, VG_WORKER_FD_SOCKET) < 0 || dup2(m, VG_WORKER_FD_SHM) < 0)
        _exit(127);
    /* Nothing else of the host's: not its output file, not other workers'
     * sockets. */
    close_range(VG_WORKER_FD_SHM + 1, ~0u, 0);
    /* Its own process group: a terminal's Ctrl-C goes to vgrun, which
     * decides, and killing the group also ends any process a plugin
     * started. */
    setpgid(0, 0);
    /* A worker never outlives its host, even one killed with SIGKILL; the
     * getppid check closes the race with a host that died before prctl. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(127);
    execv(exe, argv);
    _exit(127);
}

static int start_process(vg_worker *w, char *reason, size_t reason_size)
{
    char exe[4096];
    if (!find_executable(exe, sizeof exe)) {
        snprintf(reason, reason_size,
                 "%s: cannot isolate it: the vg-worker executable was not "
                 "found (looked for %s; set VG_WORKER or install vg)",
                 w->path, exe);
        return VG_ERR_IO;
    }
    int sv[2] = {-1, -1}, out[2] = {-1, -1};
    int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    w->shm_fd = memfd_create("vg-frames", MFD_CLOEXEC);
    if (null_fd < 0 || w->shm_fd < 0 ||
        socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0 ||
        pipe2(out, O_CLOEXEC) != 0) {
        snprintf(reason, reason_size, "%s: cannot start a worker: %s", w->path,
                 strerror(errno));
        close_fd(&null_fd);
        close_fd(&sv[0]);
        close_fd(&sv[1]);
        return VG_ERR_IO;
    }
    char *const argv[] = {"vg-worker", w->path, NULL};
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0)
        exec_child(exe, argv, sv[1], w->shm_fd, out[1], null_fd, parent);
    int saved = errno;
    close(sv[1]);
    close(out[1]);
    close(null_fd);
    w->sock = sv[0];
    w->out_pipe = out[0];
    if (pid < 0) {
        snprintf(reason, reason_size, "%s: cannot start a worker: %s", w->path,
                 strerror(saved));
        return VG_ERR_IO;
    }
    w->pid = pid;
    return 0;
}

int vg_worker_spawn(const char *path, double timeout_scale, vg_worker **out,
                    char *reason, size_t reason_size)
{
    *out = NULL;
    vg_worker *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        snprintf(reason, reason_size, "%s: out of memory", path);
        return VG_ERR_NO_MEMORY;
    }
    w->pid = -1;
    w->sock = w->out_pipe = w->shm_fd = -1;
    w->timeout_scale = timeout_scale > 0 ? timeout_scale : 1.0;
    int rc = start_process(w, reason, reason_size);
    if (rc != 0) {
        vg_worker_destroy(&w);
        return rc;
    }
    /* The hello, then LOAD, both under the load deadline. */
    vg_worker_hello hello;
    failure why = FAIL_EOF;
    double limit = deadline_seconds(w, VG_WORKER_OP_LOAD, 0);
    if (wait_bytes(w, &hello, sizeof hello, now_seconds() + limit, &why) != 0) {
        rc = worker_died(w, why, VG_WORKER_OP_LOAD, limit);
    } else if (hello.magic != VG_WORKER_MAGIC ||
               hello.version != VG_WORKER_PROTOCOL_VERSION) {
        rc = worker_died(w, FAIL_PROTOCOL, VG_WORKER_OP_LOAD, limit);
        snprintf(w->death, sizeof w->death,
                 "%s: the vg-worker executable is from another build of vg",
                 path);
    } else {
        vg_worker_request req = {.op = VG_WORKER_OP_LOAD,
                                 .payload_size = (uint32_t)strlen(path) + 1};
        vg_worker_reply reply;
        rc = vg_worker_call(w, &req, path, &reply, NULL, 0, 0);
        if (rc == 0 && reply.code != 0) {
            /* Not a valid plugin: the loader's own words. */
            snprintf(reason, reason_size, "%s", reply.message);
            rc = reply.code;
            vg_worker_destroy(&w);
            return rc;
        }
    }
    if (rc != 0) {
        snprintf(reason, reason_size, "%s", w->death);
        vg_worker_destroy(&w);
        return rc;
    }
    *out = w;
    return 0;
}

bool vg_worker_alive(const vg_worker *w)
{
    return !w->dead;
}

const char *vg_worker_death(const vg_worker *w)
{
    return w->dead ? w->death : "";
}

vg_plugin *vg_worker_slots(vg_worker *w)
{
    return &w->slots;
}

uint8_t *vg_worker_shm(vg_worker *w, uint64_t size)
{
    if (size <= w->shm_size)
        return w->shm;
    if (ftruncate(w->shm_fd, (off_t)size) != 0)
        return NULL;
    void *p =
        mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, w->shm_fd, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (w->shm)
        munmap(w->shm, w->shm_size);
    w->shm = p;
    w->shm_size = size;
    return w->shm;
}

void vg_worker_destroy(vg_worker **worker)
{
    if (!worker || !*worker)
        return;
    vg_worker *w = *worker;
    close_fd(&w->sock);
    close_fd(&w->out_pipe);
    if (w->pid > 0) {
        /* Its contexts are closed already; nothing is left to lose. */
        kill_worker(w->pid);
        reap(w->pid, 0);
    }
    if (w->shm)
        munmap(w->shm, w->shm_size);
    close_fd(&w->shm_fd);
    free(w->path);
    free(w);
    *worker = NULL;
}
