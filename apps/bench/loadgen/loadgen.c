/*
 * loadgen: a single-threaded WebSocket load generator for apps/bench.
 *
 * epoll, raw non-blocking TCP sockets, the HTTP upgrade done by hand, client
 * frames built and masked once at start-up (a fixed mask key), one write() per
 * connection per event-loop turn (all the frames it owes go out together), and
 * server frames parsed only far enough to count them and find a needle in them.
 *
 * Modes (see README.md in apps/bench for the methodology):
 *   rpc     N connections, each keeping W requests in flight. Responses are matched
 *           in order per connection: the k-th response of a connection answers its
 *           k-th request (every server under test answers a connection's calls in
 *           order; a response that does not contain the needle of the request it
 *           is matched with counts as a mismatch, so reordering cannot go unseen).
 *   fanout  N subscribers + 1 control connection. Each subscriber sends `sub` and
 *           waits for one answer; then the control connection sends `trigger` and
 *           the clock runs until every subscriber has received --expect messages.
 *   stream  1 connection sends request 0 and counts --expect messages (the values
 *           plus the end marker), `rounds` times.
 *   idle    N connections complete their handshake, "READY n" is printed, and the
 *           connections stay open (answering pings) until stdin closes.
 *
 * The spec file (written by the harness) has one item per line:
 *   req  b|t HEXPAYLOAD HEXNEEDLE|-   a request variant (b = binary frame, t = text)
 *   sub  b|t HEXPAYLOAD HEXNEEDLE|-   what a fan-out subscriber sends to subscribe
 *   trigger b|t HEXPAYLOAD            what the control connection sends to start publishing
 *   accept HEXPREFIX                  only messages starting with this prefix count
 *   deliver HEXNEEDLE                 every counted fan-out/stream message must contain it
 *   end HEXNEEDLE                     the last message of a stream must contain it
 *
 * Output: one JSON object on stdout.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RBUF_INIT (64 * 1024)
#define MAX_EVENTS 1024
#define STDIN_TAG 0xffffffffu

enum mode { M_RPC, M_FANOUT, M_STREAM, M_IDLE };
enum cstate { C_NEW, C_CONNECTING, C_UPGRADING, C_EIO_OPEN, C_EIO_CONNECT, C_READY, C_SUBSCRIBING, C_SUBSCRIBED, C_DEAD };

typedef struct {
  uint8_t *frame; /* the full masked client frame */
  size_t len;
  uint8_t *needle; /* bytes a matching response must contain (may be NULL) */
  size_t nlen;
  size_t hint; /* where the needle was found last time: checked first, memmem only on a miss */
} variant_t;

typedef struct {
  int fd;
  int state;
  uint8_t *rbuf;
  size_t rlen, rcap;
  uint8_t *wbuf; /* bytes not yet written (rare: only after a short write) */
  size_t wlen, wcap;
  int want_out;
  /* rpc */
  uint64_t next_seq, head_seq;
  uint32_t outstanding;
  uint64_t *sent_ts;
  /* fan-out / stream */
  uint64_t received;
  int done;
} conn_t;

/* ---------- options ---------- */
static enum mode g_mode = M_RPC;
static const char *g_host = "127.0.0.1";
static int g_port = 0;
static const char *g_path = "/";
static const char *g_protocol = NULL;
static int g_eio = 0;
static int g_conns = 1;
static int g_window = 1;
static double g_warmup = 0.5, g_duration = 2.0, g_timeout = 60.0;
static int g_busy = 0;
static const char *g_spec = NULL;
static int g_server_pid = 0;
static uint64_t g_expect = 0;
static int g_rounds = 1, g_warmup_rounds = 0;
static int g_dump = 0;
static int g_parallel = 256;

/* ---------- spec ---------- */
static variant_t *g_req = NULL;
static int g_nreq = 0;
static variant_t g_sub, g_trigger;
static int g_has_sub = 0, g_has_trigger = 0;
static uint8_t *g_accept = NULL, *g_deliver = NULL, *g_end = NULL;
static size_t g_accept_len = 0, g_deliver_len = 0, g_end_len = 0;
/* request frames in sequence order, (K + W) of them, so any run of <= W consecutive
 * sequence numbers is one contiguous slice */
static uint8_t *g_seqbuf = NULL;
static size_t *g_seqoff = NULL;

static uint8_t *g_pong_eio = NULL, *g_connect_eio = NULL;
static size_t g_pong_eio_len = 0, g_connect_eio_len = 0;
static char g_upgrade[1024];
static size_t g_upgrade_len = 0;
static const uint8_t MASK[4] = {0x37, 0xfa, 0x21, 0x3d};

/* ---------- state ---------- */
static conn_t *g_c = NULL;
static int g_ep = -1;
static int g_nready = 0, g_nfailed = 0, g_next_connect = 0, g_inflight_connects = 0;
static int g_nsubscribed = 0, g_ndone = 0;
static int g_phase = 0; /* rpc: 0 connecting, 1 warmup, 2 measuring, 3 done */
static uint64_t g_t_start, g_t_measure, g_t_end, g_now;
static uint64_t g_count = 0, g_mismatch = 0, g_unexpected = 0, g_ignored = 0, g_pings = 0, g_fragmented = 0;
static uint64_t g_closed = 0, g_bad_deliveries = 0, g_bad_end = 0, g_bytes_in = 0, g_syscalls_write = 0, g_syscalls_read = 0;
static uint32_t *g_lat = NULL;
static size_t g_nlat = 0, g_latcap = 0;
static int g_dumped = 0;
static int g_round = 0;
static uint64_t g_round_t0 = 0, g_round_first = 0;
static double *g_round_secs = NULL, *g_round_first_ms = NULL;
static double g_cpu_srv0, g_cpu_self0, g_cpu_srv, g_cpu_self, g_user0, g_user, g_wait_srv0, g_wait_self0, g_wait_srv, g_wait_self;
static double *g_round_cpu_srv = NULL, *g_round_cpu_self = NULL, *g_round_wait_srv = NULL, *g_round_wait_self = NULL;
static char g_first_error[256] = "";

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "loadgen: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(2);
}

static void note_error(const char *fmt, ...) {
  if (g_first_error[0]) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(g_first_error, sizeof g_first_error, fmt, ap);
  va_end(ap);
}

static inline uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

static void *xrealloc(void *p, size_t n) {
  p = realloc(p, n ? n : 1);
  if (!p) die("out of memory");
  return p;
}

/* CPU seconds of a process, all threads: the sum of /proc/<pid>/task/<tid>/schedstat (ns resolution),
 * or utime + stime from /proc/<pid>/stat (clock ticks) where schedstat is missing. */
static double proc_cpu_ticks(int pid) {
  char path[64], buf[4096];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  if (!p) return 0;
  p += 2; /* field 3: state */
  unsigned long long utime = 0, stime = 0;
  for (int field = 3; field < 14 && p; field++) p = strchr(p, ' '), p = p ? p + 1 : NULL;
  if (!p || sscanf(p, "%llu %llu", &utime, &stime) != 2) return 0;
  return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

/* Sums /proc/<pid>/task/<tid>/schedstat over the threads: [0] ns on a CPU, [1] ns runnable but waiting
 * for a CPU (taken by other processes). Returns 0 when schedstat is not available. */
static int proc_schedstat(int pid, double out[2]) {
  char path[320], buf[256];
  snprintf(path, sizeof path, "/proc/%d/task", pid);
  DIR *d = opendir(path);
  if (!d) return 0;
  unsigned long long run = 0, wait = 0;
  int found = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    snprintf(path, sizeof path, "/proc/%d/task/%s/schedstat", pid, e->d_name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) continue;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) continue;
    buf[n] = 0;
    char *end;
    run += strtoull(buf, &end, 10);
    wait += strtoull(end, NULL, 10);
    found = 1;
  }
  closedir(d);
  out[0] = (double)run / 1e9;
  out[1] = (double)wait / 1e9;
  return found;
}

/* CPU seconds of a process, all threads (schedstat: ns resolution; else /proc/<pid>/stat ticks). */
static double proc_cpu(int pid) {
  double st[2];
  if (pid <= 0) return 0;
  return proc_schedstat(pid, st) ? st[0] : proc_cpu_ticks(pid);
}

/* Seconds a process's threads spent runnable but waiting for a CPU. */
static double proc_wait(int pid) {
  double st[2];
  return pid > 0 && proc_schedstat(pid, st) ? st[1] : 0;
}

static double self_user_cpu(void) {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
}

static double self_cpu(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---------- frames ---------- */
static uint8_t *build_frame(int opcode, const uint8_t *payload, size_t len, size_t *out_len) {
  size_t hdr = 2 + 4 + (len < 126 ? 0 : len < 65536 ? 2 : 8);
  uint8_t *f = xmalloc(hdr + len);
  size_t i = 0;
  f[i++] = 0x80 | (uint8_t)opcode;
  if (len < 126) {
    f[i++] = 0x80 | (uint8_t)len;
  } else if (len < 65536) {
    f[i++] = 0x80 | 126;
    f[i++] = (uint8_t)(len >> 8);
    f[i++] = (uint8_t)len;
  } else {
    f[i++] = 0x80 | 127;
    for (int s = 56; s >= 0; s -= 8) f[i++] = (uint8_t)((uint64_t)len >> s);
  }
  memcpy(f + i, MASK, 4);
  i += 4;
  for (size_t k = 0; k < len; k++) f[i + k] = payload[k] ^ MASK[k & 3];
  *out_len = hdr + len;
  return f;
}

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static uint8_t *unhex(const char *s, size_t *out_len) {
  size_t n = strlen(s);
  if (n % 2) die("odd hex string in spec");
  uint8_t *b = xmalloc(n / 2);
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
    if (hi < 0 || lo < 0) die("bad hex in spec");
    b[i] = (uint8_t)(hi << 4 | lo);
  }
  *out_len = n / 2;
  return b;
}

static void parse_variant(variant_t *v, char *kind, char *payload_hex, char *needle_hex) {
  size_t plen;
  if (!kind || !payload_hex) die("spec: incomplete line");
  uint8_t *payload = unhex(payload_hex, &plen);
  v->frame = build_frame(kind[0] == 't' ? 1 : 2, payload, plen, &v->len);
  free(payload);
  v->needle = NULL;
  v->nlen = 0;
  if (needle_hex && strcmp(needle_hex, "-") != 0) v->needle = unhex(needle_hex, &v->nlen);
}

static void load_spec(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) die("cannot open spec %s", path);
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    char *save = NULL;
    char *key = strtok_r(line, " \t\r\n", &save);
    if (!key || key[0] == '#') continue;
    char *a = strtok_r(NULL, " \t\r\n", &save);
    char *b = strtok_r(NULL, " \t\r\n", &save);
    char *c = strtok_r(NULL, " \t\r\n", &save);
    if (strcmp(key, "req") == 0) {
      g_req = xrealloc(g_req, sizeof(variant_t) * (size_t)(g_nreq + 1));
      parse_variant(&g_req[g_nreq++], a, b, c);
    } else if (strcmp(key, "sub") == 0) {
      parse_variant(&g_sub, a, b, c);
      g_has_sub = 1;
    } else if (strcmp(key, "trigger") == 0) {
      parse_variant(&g_trigger, a, b, c);
      g_has_trigger = 1;
    } else if (strcmp(key, "accept") == 0) {
      if (!a) die("spec: accept needs a prefix");
      g_accept = unhex(a, &g_accept_len);
    } else if (strcmp(key, "deliver") == 0) {
      if (!a) die("spec: deliver needs a needle");
      g_deliver = unhex(a, &g_deliver_len);
    } else if (strcmp(key, "end") == 0) {
      if (!a) die("spec: end needs a needle");
      g_end = unhex(a, &g_end_len);
    } else {
      die("spec: unknown item '%s'", key);
    }
  }
  free(line);
  fclose(f);
}

/* ---------- connections ---------- */
static void epoll_set(int idx, int want_out, int op) {
  struct epoll_event ev = {.events = EPOLLIN | (want_out ? EPOLLOUT : 0), .data.u32 = (uint32_t)idx};
  if (epoll_ctl(g_ep, op, g_c[idx].fd, &ev) < 0) die("epoll_ctl: %s", strerror(errno));
}

static void conn_fail(int idx, const char *why) {
  conn_t *c = &g_c[idx];
  if (c->state == C_DEAD) return;
  note_error("connection %d: %s", idx, why);
  int was_connecting = c->state < C_READY;
  c->state = C_DEAD;
  g_closed++;
  if (c->fd >= 0) {
    epoll_ctl(g_ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
  }
  if (was_connecting) {
    g_nfailed++;
    g_inflight_connects--;
  }
}

/* Writes now, or queues what the socket does not take. */
static void conn_write(int idx, const uint8_t *buf, size_t len) {
  conn_t *c = &g_c[idx];
  if (c->state == C_DEAD) return;
  if (c->wlen == 0) {
    g_syscalls_write++;
    ssize_t n = write(c->fd, buf, len);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        conn_fail(idx, strerror(errno));
        return;
      }
      n = 0;
    }
    if ((size_t)n == len) return;
    buf += n;
    len -= (size_t)n;
  }
  if (c->wlen + len > c->wcap) {
    c->wcap = (c->wlen + len) * 2;
    c->wbuf = xrealloc(c->wbuf, c->wcap);
  }
  memcpy(c->wbuf + c->wlen, buf, len);
  c->wlen += len;
  if (!c->want_out) {
    c->want_out = 1;
    epoll_set(idx, 1, EPOLL_CTL_MOD);
  }
}

static void conn_flush(int idx) {
  conn_t *c = &g_c[idx];
  if (c->wlen == 0) return;
  g_syscalls_write++;
  ssize_t n = write(c->fd, c->wbuf, c->wlen);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) conn_fail(idx, strerror(errno));
    return;
  }
  memmove(c->wbuf, c->wbuf + n, c->wlen - (size_t)n);
  c->wlen -= (size_t)n;
  if (c->wlen == 0 && c->want_out) {
    c->want_out = 0;
    epoll_set(idx, 0, EPOLL_CTL_MOD);
  }
}

static void start_connect(int idx) {
  conn_t *c = &g_c[idx];
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->fd < 0) die("socket: %s (raise the fd limit)", strerror(errno));
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g_port)};
  if (inet_pton(AF_INET, g_host, &sa.sin_addr) != 1) die("bad host %s", g_host);
  c->state = C_CONNECTING;
  g_inflight_connects++;
  if (connect(c->fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS) {
    conn_fail(idx, strerror(errno));
    return;
  }
  c->want_out = 1;
  epoll_set(idx, 1, EPOLL_CTL_ADD);
}

static void pump_connects(void) {
  while (g_next_connect < g_conns && g_inflight_connects < g_parallel) start_connect(g_next_connect++);
}

static void send_requests(int idx, uint32_t n);

/* A connection finished its handshake (WebSocket, and socket.io's when --eio). */
static void on_ready(int idx) {
  conn_t *c = &g_c[idx];
  c->state = C_READY;
  g_nready++;
  g_inflight_connects--;
  (void)c;
}

/* ---------- measurement ---------- */
static inline void record_latency(uint64_t ns) {
  if (g_nlat == g_latcap) {
    if (g_latcap >= (size_t)64 << 20) return; /* 64M samples are plenty */
    g_latcap = g_latcap ? g_latcap * 2 : (size_t)1 << 20;
    g_lat = xrealloc(g_lat, g_latcap * sizeof *g_lat);
  }
  g_lat[g_nlat++] = ns > 0xffffffffull ? 0xffffffffu : (uint32_t)ns;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static double percentile_us(double p) {
  if (g_nlat == 0) return 0;
  size_t i = (size_t)(p * (double)(g_nlat - 1) + 0.5);
  return g_lat[i] / 1000.0;
}

static void dump_payload(const uint8_t *p, size_t len) {
  if (g_dumped >= g_dump) return;
  g_dumped++;
  fprintf(stderr, "dump ");
  for (size_t i = 0; i < len; i++) fprintf(stderr, "%02x", p[i]);
  fprintf(stderr, "\n");
}

/* The needle is usually at the same offset in every answer of a kind: check there first. */
static inline int has_needle(const uint8_t *p, size_t len, const uint8_t *needle, size_t nlen, size_t *hint) {
  if (*hint + nlen <= len && memcmp(p + *hint, needle, nlen) == 0) return 1;
  const uint8_t *at = memmem(p, len, needle, nlen);
  if (!at) return 0;
  *hint = (size_t)(at - p);
  return 1;
}
static size_t g_deliver_hint = 0;

/* ---------- modes ---------- */
static void send_requests(int idx, uint32_t n) {
  conn_t *c = &g_c[idx];
  if (n == 0 || c->state == C_DEAD) return;
  uint64_t seq = c->next_seq;
  size_t start = (size_t)(seq % (uint64_t)g_nreq);
  uint64_t t = g_now ? g_now : now_ns();
  for (uint32_t i = 0; i < n; i++) c->sent_ts[(seq + i) % (uint64_t)g_window] = t;
  c->next_seq += n;
  c->outstanding += n;
  conn_write(idx, g_seqbuf + g_seqoff[start], g_seqoff[start + n] - g_seqoff[start]);
}

static void fanout_start_round(void);

/* One counted message (its payload). Returns how many new requests the connection owes (rpc). */
static uint32_t on_message(int idx, const uint8_t *p, size_t len) {
  conn_t *c = &g_c[idx];
  switch (g_mode) {
  case M_RPC: {
    if (c->outstanding == 0) {
      g_unexpected++;
      note_error("connection %d: a message with no request outstanding", idx);
      return 0;
    }
    variant_t *v = &g_req[c->head_seq % (uint64_t)g_nreq];
    if (v->needle && !has_needle(p, len, v->needle, v->nlen, &v->hint)) {
      if (!g_mismatch) note_error("connection %d: response %llu lacks the expected bytes", idx, (unsigned long long)c->head_seq);
      g_mismatch++;
    }
    dump_payload(p, len);
    uint64_t sent = c->sent_ts[c->head_seq % (uint64_t)g_window];
    c->head_seq++;
    c->outstanding--;
    if (g_phase == 2) {
      g_count++;
      record_latency(g_now - sent);
    }
    return g_phase < 3 ? 1 : 0;
  }
  case M_FANOUT: {
    if (idx == g_conns - 1) return 0; /* the control connection: its answers are not counted */
    if (c->state == C_SUBSCRIBING) {
      if (g_sub.needle && !memmem(p, len, g_sub.needle, g_sub.nlen)) {
        note_error("connection %d: the subscribe answer lacks the expected bytes", idx);
        g_mismatch++;
      }
      c->state = C_SUBSCRIBED;
      if (++g_nsubscribed == g_conns - 1) fanout_start_round();
      return 0;
    }
    if (c->state != C_SUBSCRIBED || g_round_t0 == 0) {
      g_unexpected++;
      return 0;
    }
    if (g_deliver && !has_needle(p, len, g_deliver, g_deliver_len, &g_deliver_hint)) g_bad_deliveries++;
    dump_payload(p, len);
    if (g_round_first == 0) g_round_first = g_now;
    c->received++;
    g_count++;
    if (c->received == g_expect * (uint64_t)(g_round + 1)) {
      if (++g_ndone == g_conns - 1) {
        int r = g_round;
        g_round_secs[r] = (double)(g_now - g_round_t0) / 1e9;
        g_round_first_ms[r] = (double)(g_round_first - g_round_t0) / 1e6;
        g_round_cpu_srv[r] = proc_cpu(g_server_pid) - g_cpu_srv0;
        g_round_cpu_self[r] = self_cpu() - g_cpu_self0;
        g_round_wait_srv[r] = proc_wait(g_server_pid) - g_wait_srv0;
        g_round_wait_self[r] = proc_wait(getpid()) - g_wait_self0;
        g_round++;
        if (g_round < g_rounds + g_warmup_rounds) fanout_start_round();
        else g_phase = 3;
      }
    } else if (c->received > g_expect * (uint64_t)(g_round + 1)) {
      g_unexpected++;
    }
    return 0;
  }
  case M_STREAM: {
    if (g_round_t0 == 0) {
      g_unexpected++;
      return 0;
    }
    if (g_round_first == 0) g_round_first = g_now;
    c->received++;
    g_count++;
    dump_payload(p, len);
    if (c->received == g_expect) {
      if (g_end && !memmem(p, len, g_end, g_end_len)) {
        g_bad_end++;
        note_error("the last stream message lacks the end marker");
      }
      int r = g_round;
      g_round_secs[r] = (double)(g_now - g_round_t0) / 1e9;
      g_round_first_ms[r] = (double)(g_round_first - g_round_t0) / 1e6;
      g_round_cpu_srv[r] = proc_cpu(g_server_pid) - g_cpu_srv0;
      g_round_cpu_self[r] = self_cpu() - g_cpu_self0;
      g_round_wait_srv[r] = proc_wait(g_server_pid) - g_wait_srv0;
      g_round_wait_self[r] = proc_wait(getpid()) - g_wait_self0;
      g_round++;
      c->received = 0;
      g_round_t0 = 0;
      if (g_round < g_rounds + g_warmup_rounds) {
        g_round_first = 0;
        g_cpu_srv0 = proc_cpu(g_server_pid);
        g_cpu_self0 = self_cpu();
        g_wait_srv0 = proc_wait(g_server_pid);
        g_wait_self0 = proc_wait(getpid());
        g_round_t0 = now_ns();
        conn_write(idx, g_req[0].frame, g_req[0].len);
      } else {
        g_phase = 3;
      }
    } else if (g_deliver && !has_needle(p, len, g_deliver, g_deliver_len, &g_deliver_hint)) {
      g_bad_deliveries++;
    }
    return 0;
  }
  case M_IDLE:
    g_unexpected++;
    return 0;
  }
  return 0;
}

static void fanout_start_round(void) {
  g_ndone = 0;
  g_round_first = 0;
  g_cpu_srv0 = proc_cpu(g_server_pid);
  g_cpu_self0 = self_cpu();
  g_wait_srv0 = proc_wait(g_server_pid);
  g_wait_self0 = proc_wait(getpid());
  g_round_t0 = now_ns();
  conn_write(g_conns - 1, g_trigger.frame, g_trigger.len);
}

/* A complete WebSocket message from the server (unfragmented). Returns requests owed. */
static uint32_t on_ws_message(int idx, int opcode, const uint8_t *p, size_t len) {
  conn_t *c = &g_c[idx];
  (void)opcode;
  if (g_eio) {
    /* engine.io v4: "2" ping → "3" pong; "0{...}" open → socket.io CONNECT "40"; "40{...}" connected */
    if (len == 1 && p[0] == '2') {
      g_pings++;
      conn_write(idx, g_pong_eio, g_pong_eio_len);
      return 0;
    }
    if (c->state == C_EIO_OPEN) {
      if (len < 1 || p[0] != '0') {
        conn_fail(idx, "expected the engine.io open packet");
        return 0;
      }
      c->state = C_EIO_CONNECT;
      conn_write(idx, g_connect_eio, g_connect_eio_len);
      return 0;
    }
    if (c->state == C_EIO_CONNECT) {
      if (len < 2 || p[0] != '4' || p[1] != '0') {
        conn_fail(idx, "expected the socket.io CONNECT answer");
        return 0;
      }
      on_ready(idx);
      return 0;
    }
    if (len >= 1 && p[0] == '1') {
      conn_fail(idx, "engine.io close packet");
      return 0;
    }
  }
  if (c->state < C_READY) {
    g_unexpected++;
    return 0;
  }
  if (g_accept && (len < g_accept_len || memcmp(p, g_accept, g_accept_len) != 0)) {
    g_ignored++;
    return 0;
  }
  return on_message(idx, p, len);
}

static int handle_upgrade_response(int idx) {
  conn_t *c = &g_c[idx];
  uint8_t *end = memmem(c->rbuf, c->rlen, "\r\n\r\n", 4);
  if (!end) return c->rlen > 16384 ? (conn_fail(idx, "HTTP response headers too long"), -1) : 0;
  size_t hlen = (size_t)(end - c->rbuf) + 4;
  if (c->rlen < 12 || memcmp(c->rbuf, "HTTP/1.1 101", 12) != 0) {
    char status[64];
    size_t n = c->rlen < 63 ? c->rlen : 63;
    memcpy(status, c->rbuf, n);
    status[n] = 0;
    char *nl = strpbrk(status, "\r\n");
    if (nl) *nl = 0;
    char why[128];
    snprintf(why, sizeof why, "upgrade refused: %s", status);
    conn_fail(idx, why);
    return -1;
  }
  if (g_protocol) {
    char hdr[256];
    snprintf(hdr, sizeof hdr, "\r\nsec-websocket-protocol: %s\r\n", g_protocol);
    char save = c->rbuf[hlen - 1];
    c->rbuf[hlen - 1] = 0;
    int ok = strcasestr((char *)c->rbuf, hdr) != NULL;
    c->rbuf[hlen - 1] = (uint8_t)save;
    if (!ok) {
      conn_fail(idx, "the server did not accept the subprotocol");
      return -1;
    }
  }
  memmove(c->rbuf, c->rbuf + hlen, c->rlen - hlen);
  c->rlen -= hlen;
  if (g_eio) c->state = C_EIO_OPEN;
  else on_ready(idx);
  return 1;
}

/* Parses every complete frame in the read buffer. */
static void parse_frames(int idx) {
  conn_t *c = &g_c[idx];
  size_t pos = 0;
  uint32_t owed = 0;
  while (c->state != C_DEAD && c->rlen - pos >= 2) {
    const uint8_t *f = c->rbuf + pos;
    size_t avail = c->rlen - pos;
    int fin = f[0] & 0x80, opcode = f[0] & 0x0f, masked = f[1] & 0x80;
    uint64_t len = f[1] & 0x7f;
    size_t hdr = 2;
    if (len == 126) {
      if (avail < 4) break;
      len = (uint64_t)f[2] << 8 | f[3];
      hdr = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | f[2 + i];
      hdr = 10;
    }
    if (masked) hdr += 4;
    if (avail < hdr + len) {
      if (hdr + len > c->rcap) {
        c->rcap = hdr + len + RBUF_INIT;
        uint8_t *nb = xmalloc(c->rcap);
        memcpy(nb, f, avail);
        free(c->rbuf);
        c->rbuf = nb;
        c->rlen = avail;
        pos = 0;
      }
      break;
    }
    const uint8_t *payload = f + hdr;
    if (masked) conn_fail(idx, "the server sent a masked frame");
    else if (opcode == 0x9) { /* ping → pong with the same payload */
      size_t plen;
      uint8_t *pong = build_frame(0xA, payload, len, &plen);
      conn_write(idx, pong, plen);
      free(pong);
      g_pings++;
    } else if (opcode == 0xA) {
      /* pong: nothing */
    } else if (opcode == 0x8) {
      char why[160];
      int code = len >= 2 ? payload[0] << 8 | payload[1] : 0;
      snprintf(why, sizeof why, "server closed the socket (%d %.*s)", code, (int)(len > 2 ? (len - 2 > 100 ? 100 : len - 2) : 0), payload + 2);
      conn_fail(idx, why);
    } else if (!fin || opcode == 0) {
      /* fragmented message: counted once, on its final fragment; contents not checked */
      g_fragmented++;
      if (fin && opcode == 0) owed += on_ws_message(idx, 0, (const uint8_t *)"", 0);
    } else {
      owed += on_ws_message(idx, opcode, payload, len);
    }
    pos += hdr + len;
  }
  if (c->state == C_DEAD) return;
  if (pos) {
    memmove(c->rbuf, c->rbuf + pos, c->rlen - pos);
    c->rlen -= pos;
  }
  if (owed && g_mode == M_RPC) send_requests(idx, owed);
}

static void on_readable(int idx) {
  conn_t *c = &g_c[idx];
  if (c->rlen == c->rcap) {
    c->rcap *= 2;
    c->rbuf = xrealloc(c->rbuf, c->rcap);
  }
  g_syscalls_read++;
  ssize_t n = read(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen);
  if (n == 0) {
    conn_fail(idx, "server closed the connection");
    return;
  }
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) conn_fail(idx, strerror(errno));
    return;
  }
  g_bytes_in += (uint64_t)n;
  c->rlen += (size_t)n;
  if (c->state == C_UPGRADING && handle_upgrade_response(idx) <= 0) return;
  parse_frames(idx);
}

static void on_writable(int idx) {
  conn_t *c = &g_c[idx];
  if (c->state == C_CONNECTING) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) {
      conn_fail(idx, strerror(err));
      return;
    }
    c->state = C_UPGRADING;
    c->want_out = 0;
    epoll_set(idx, 0, EPOLL_CTL_MOD);
    conn_write(idx, (const uint8_t *)g_upgrade, g_upgrade_len);
    return;
  }
  conn_flush(idx);
}

/* ---------- main ---------- */
static void usage(void) {
  fprintf(stderr,
          "usage: loadgen rpc|fanout|stream|idle --port P --spec FILE [--host H] [--path P] [--protocol P] [--eio]\n"
          "       [--conns N] [--window W] [--warmup S] [--duration S] [--busy] [--server-pid PID]\n"
          "       [--expect N] [--rounds R] [--warmup-rounds R] [--timeout S] [--dump K] [--parallel P]\n");
  exit(2);
}

static void raise_fd_limit(size_t need) {
  struct rlimit rl;
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur >= need) return;
  struct rlimit want = {need, need > rl.rlim_max ? need : rl.rlim_max};
  if (setrlimit(RLIMIT_NOFILE, &want) == 0) return;
  rl.rlim_cur = rl.rlim_max;
  setrlimit(RLIMIT_NOFILE, &rl);
  getrlimit(RLIMIT_NOFILE, &rl);
  if (rl.rlim_cur < need) fprintf(stderr, "loadgen: warning: fd limit %llu < %zu needed\n", (unsigned long long)rl.rlim_cur, need);
}

static void print_json_array(const char *name, const double *v, int from, int to) {
  printf(",\"%s\":[", name);
  for (int i = from; i < to; i++) printf("%s%.6f", i > from ? "," : "", v[i]);
  printf("]");
}

static void print_json_string(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') printf("\\%c", *s);
    else if ((unsigned char)*s < 0x20) printf("\\u%04x", *s);
    else putchar(*s);
  }
  putchar('"');
}

int main(int argc, char **argv) {
  if (argc < 2) usage();
  signal(SIGPIPE, SIG_IGN); /* a server that closes a socket must give an error to report, not kill us */
  const char *m = argv[1];
  if (strcmp(m, "rpc") == 0) g_mode = M_RPC;
  else if (strcmp(m, "fanout") == 0) g_mode = M_FANOUT;
  else if (strcmp(m, "stream") == 0) g_mode = M_STREAM;
  else if (strcmp(m, "idle") == 0) g_mode = M_IDLE;
  else usage();

  static struct option opts[] = {
      {"host", 1, 0, 'h'},   {"port", 1, 0, 'p'},      {"path", 1, 0, 'P'},          {"protocol", 1, 0, 'S'},
      {"eio", 0, 0, 'e'},    {"conns", 1, 0, 'c'},     {"window", 1, 0, 'w'},        {"warmup", 1, 0, 'W'},
      {"duration", 1, 0, 'd'}, {"busy", 0, 0, 'b'},    {"spec", 1, 0, 's'},          {"server-pid", 1, 0, 'i'},
      {"expect", 1, 0, 'x'}, {"rounds", 1, 0, 'r'},    {"warmup-rounds", 1, 0, 'R'}, {"timeout", 1, 0, 't'},
      {"dump", 1, 0, 'D'},   {"parallel", 1, 0, 'j'},  {0, 0, 0, 0}};
  int ch;
  optind = 2;
  while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
    switch (ch) {
    case 'h': g_host = optarg; break;
    case 'p': g_port = atoi(optarg); break;
    case 'P': g_path = optarg; break;
    case 'S': g_protocol = optarg; break;
    case 'e': g_eio = 1; break;
    case 'c': g_conns = atoi(optarg); break;
    case 'w': g_window = atoi(optarg); break;
    case 'W': g_warmup = atof(optarg); break;
    case 'd': g_duration = atof(optarg); break;
    case 'b': g_busy = 1; break;
    case 's': g_spec = optarg; break;
    case 'i': g_server_pid = atoi(optarg); break;
    case 'x': g_expect = strtoull(optarg, NULL, 10); break;
    case 'r': g_rounds = atoi(optarg); break;
    case 'R': g_warmup_rounds = atoi(optarg); break;
    case 't': g_timeout = atof(optarg); break;
    case 'D': g_dump = atoi(optarg); break;
    case 'j': g_parallel = atoi(optarg); break;
    default: usage();
    }
  }
  if (g_port <= 0 || g_conns <= 0 || g_window <= 0 || g_rounds <= 0 || g_parallel <= 0) usage();
  if (g_spec) load_spec(g_spec);
  if (g_mode == M_RPC && g_nreq == 0) die("rpc needs at least one 'req' in the spec");
  if (g_mode == M_STREAM && (g_nreq == 0 || g_expect == 0)) die("stream needs a 'req' and --expect");
  if (g_mode == M_FANOUT && (!g_has_sub || !g_has_trigger || g_expect == 0)) die("fanout needs 'sub', 'trigger' and --expect");
  if (g_mode == M_FANOUT) g_conns += 1; /* + the control connection (the last one) */
  if (g_mode == M_STREAM) g_conns = 1;
  raise_fd_limit((size_t)g_conns + 64);

  /* the sequence buffer: frames for seq 0 .. K+W-1 */
  if (g_nreq) {
    size_t n = (size_t)g_nreq + (size_t)g_window, total = 0;
    g_seqoff = xmalloc((n + 1) * sizeof *g_seqoff);
    for (size_t i = 0; i < n; i++) total += g_req[i % (size_t)g_nreq].len;
    g_seqbuf = xmalloc(total);
    size_t off = 0;
    for (size_t i = 0; i < n; i++) {
      const variant_t *v = &g_req[i % (size_t)g_nreq];
      g_seqoff[i] = off;
      memcpy(g_seqbuf + off, v->frame, v->len);
      off += v->len;
    }
    g_seqoff[n] = off;
  }
  g_pong_eio = build_frame(1, (const uint8_t *)"3", 1, &g_pong_eio_len);
  g_connect_eio = build_frame(1, (const uint8_t *)"40", 2, &g_connect_eio_len);
  int ul = snprintf(g_upgrade, sizeof g_upgrade,
                    "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s%s%s\r\n",
                    g_path, g_host, g_port, g_protocol ? "Sec-WebSocket-Protocol: " : "", g_protocol ? g_protocol : "",
                    g_protocol ? "\r\n" : "");
  if (ul <= 0 || (size_t)ul >= sizeof g_upgrade) die("upgrade request too long");
  g_upgrade_len = (size_t)ul;

  int nr = g_rounds + g_warmup_rounds;
  g_round_secs = calloc((size_t)nr, sizeof(double));
  g_round_first_ms = calloc((size_t)nr, sizeof(double));
  g_round_cpu_srv = calloc((size_t)nr, sizeof(double));
  g_round_cpu_self = calloc((size_t)nr, sizeof(double));
  g_round_wait_srv = calloc((size_t)nr, sizeof(double));
  g_round_wait_self = calloc((size_t)nr, sizeof(double));

  g_c = calloc((size_t)g_conns, sizeof(conn_t));
  if (!g_c) die("out of memory");
  for (int i = 0; i < g_conns; i++) {
    g_c[i].fd = -1;
    g_c[i].rcap = g_mode == M_IDLE ? 4096 : RBUF_INIT;
    g_c[i].rbuf = xmalloc(g_c[i].rcap);
    if (g_mode == M_RPC) g_c[i].sent_ts = xmalloc(sizeof(uint64_t) * (size_t)g_window);
  }
  g_ep = epoll_create1(EPOLL_CLOEXEC);
  if (g_ep < 0) die("epoll_create1: %s", strerror(errno));
  if (g_mode == M_IDLE) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = STDIN_TAG};
    epoll_ctl(g_ep, EPOLL_CTL_ADD, 0, &ev);
  }

  struct epoll_event *evs = xmalloc(sizeof(struct epoll_event) * MAX_EVENTS);
  g_t_start = now_ns();
  uint64_t connect_done = 0, deadline = g_t_start + (uint64_t)(g_timeout * 1e9);
  int stdin_closed = 0, timed_out = 0;
  pump_connects();

  for (;;) {
    int n = epoll_wait(g_ep, evs, MAX_EVENTS, g_busy ? 0 : 5);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("epoll_wait: %s", strerror(errno));
    }
    g_now = now_ns();
    for (int i = 0; i < n; i++) {
      uint32_t idx = evs[i].data.u32;
      if (idx == STDIN_TAG) {
        char tmp[256];
        if (read(0, tmp, sizeof tmp) <= 0) {
          stdin_closed = 1;
          epoll_ctl(g_ep, EPOLL_CTL_DEL, 0, NULL);
        }
        continue;
      }
      conn_t *c = &g_c[idx];
      if (c->state == C_DEAD) continue;
      if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) on_writable((int)idx);
      if (c->state != C_DEAD && evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) on_readable((int)idx);
    }
    if (g_nready + g_nfailed < g_conns) pump_connects();

    /* every connection is up (or failed): start the mode */
    if (connect_done == 0 && g_nready + g_nfailed == g_conns) {
      connect_done = g_now;
      if (g_nfailed) break;
      if (g_mode == M_IDLE) {
        printf("READY %d %.3f\n", g_nready, (double)(connect_done - g_t_start) / 1e9);
        fflush(stdout);
      } else if (g_mode == M_RPC) {
        g_phase = 1;
        g_t_measure = g_now + (uint64_t)(g_warmup * 1e9);
        g_t_end = g_t_measure + (uint64_t)(g_duration * 1e9);
        deadline = g_t_end + (uint64_t)(g_timeout * 1e9);
        for (int k = 0; k < g_conns; k++) send_requests(k, (uint32_t)g_window);
      } else if (g_mode == M_FANOUT) {
        deadline = g_now + (uint64_t)(g_timeout * 1e9);
        for (int k = 0; k < g_conns - 1; k++) {
          g_c[k].state = C_SUBSCRIBING;
          conn_write(k, g_sub.frame, g_sub.len);
        }
      } else if (g_mode == M_STREAM) {
        deadline = g_now + (uint64_t)(g_timeout * 1e9);
        g_cpu_srv0 = proc_cpu(g_server_pid);
        g_cpu_self0 = self_cpu();
        g_wait_srv0 = proc_wait(g_server_pid);
        g_wait_self0 = proc_wait(getpid());
        g_round_t0 = now_ns();
        conn_write(0, g_req[0].frame, g_req[0].len);
      }
    }
    if (g_mode == M_RPC && g_phase == 1 && g_now >= g_t_measure) {
      g_phase = 2;
      g_t_measure = g_now;
      g_t_end = g_now + (uint64_t)(g_duration * 1e9);
      g_cpu_srv0 = proc_cpu(g_server_pid);
      g_cpu_self0 = self_cpu();
      g_user0 = self_user_cpu();
      g_wait_srv0 = proc_wait(g_server_pid);
      g_wait_self0 = proc_wait(getpid());
    }
    if (g_mode == M_RPC && g_phase == 2 && g_now >= g_t_end) {
      g_cpu_srv = proc_cpu(g_server_pid) - g_cpu_srv0;
      g_cpu_self = self_cpu() - g_cpu_self0;
      g_user = self_user_cpu() - g_user0;
      g_wait_srv = proc_wait(g_server_pid) - g_wait_srv0;
      g_wait_self = proc_wait(getpid()) - g_wait_self0;
      g_t_end = g_now;
      g_phase = 3;
    }
    if (g_phase == 3) break;
    if (g_mode == M_IDLE && stdin_closed) break;
    if (g_mode != M_IDLE && g_closed > 0) break;
    if (g_now > deadline && g_mode != M_IDLE) {
      timed_out = 1;
      note_error("timed out");
      break;
    }
  }
  uint64_t t_stop = now_ns();

  /* close abortively (RST): no TIME_WAIT pile-up across thousands of runs */
  for (int i = 0; i < g_conns; i++) {
    if (g_c[i].fd < 0) continue;
    struct linger lg = {1, 0};
    setsockopt(g_c[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(g_c[i].fd);
  }

  printf("{\"mode\":\"%s\",\"conns\":%d,\"ready\":%d,\"failed\":%d", m, g_conns, g_nready, g_nfailed);
  printf(",\"connect_s\":%.4f", connect_done ? (double)(connect_done - g_t_start) / 1e9 : -1.0);
  if (g_mode == M_RPC) {
    double secs = g_phase == 3 ? (double)(g_t_end - g_t_measure) / 1e9 : 0;
    if (g_phase != 3) {
      g_cpu_srv = 0;
      g_cpu_self = 0;
    }
    qsort(g_lat, g_nlat, sizeof *g_lat, cmp_u32);
    printf(",\"window\":%d,\"responses\":%llu,\"seconds\":%.4f,\"rate\":%.1f", g_window, (unsigned long long)g_count, secs,
           secs > 0 ? (double)g_count / secs : 0.0);
    printf(",\"p50_us\":%.2f,\"p90_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.2f", percentile_us(0.5), percentile_us(0.9),
           percentile_us(0.99), g_nlat ? g_lat[g_nlat - 1] / 1000.0 : 0.0);
    printf(",\"server_cpu\":%.4f,\"loadgen_cpu\":%.4f,\"loadgen_user_cpu\":%.4f", secs > 0 ? g_cpu_srv / secs : 0.0,
           secs > 0 ? g_cpu_self / secs : 0.0, secs > 0 ? g_user / secs : 0.0);
    printf(",\"server_wait\":%.4f,\"loadgen_wait\":%.4f", secs > 0 ? g_wait_srv / secs : 0.0, secs > 0 ? g_wait_self / secs : 0.0);
  } else if (g_mode == M_FANOUT || g_mode == M_STREAM) {
    int from = g_warmup_rounds < g_round ? g_warmup_rounds : g_round;
    printf(",\"expect\":%llu,\"rounds_done\":%d,\"warmup_rounds\":%d,\"messages\":%llu", (unsigned long long)g_expect,
           g_round - from, g_warmup_rounds, (unsigned long long)g_count);
    print_json_array("round_seconds", g_round_secs, from, g_round);
    print_json_array("round_first_ms", g_round_first_ms, from, g_round);
    print_json_array("round_server_cpu_s", g_round_cpu_srv, from, g_round);
    print_json_array("round_loadgen_cpu_s", g_round_cpu_self, from, g_round);
    print_json_array("round_server_wait_s", g_round_wait_srv, from, g_round);
    print_json_array("round_loadgen_wait_s", g_round_wait_self, from, g_round);
    printf(",\"bad_deliveries\":%llu,\"bad_end\":%llu", (unsigned long long)g_bad_deliveries, (unsigned long long)g_bad_end);
  } else {
    printf(",\"held_s\":%.3f", connect_done ? (double)(t_stop - connect_done) / 1e9 : 0.0);
  }
  printf(",\"mismatch\":%llu,\"unexpected\":%llu,\"ignored\":%llu,\"pings\":%llu,\"fragmented\":%llu,\"closed\":%llu",
         (unsigned long long)g_mismatch, (unsigned long long)g_unexpected, (unsigned long long)g_ignored,
         (unsigned long long)g_pings, (unsigned long long)g_fragmented, (unsigned long long)g_closed);
  printf(",\"writes\":%llu,\"reads\":%llu,\"bytes_in\":%llu,\"timed_out\":%s,\"error\":", (unsigned long long)g_syscalls_write,
         (unsigned long long)g_syscalls_read, (unsigned long long)g_bytes_in, timed_out ? "true" : "false");
  print_json_string(g_first_error);
  printf("}\n");
  fflush(stdout);
  int ok = !timed_out && g_nfailed == 0 && g_mismatch == 0 && g_bad_deliveries == 0 && g_bad_end == 0 && g_unexpected == 0 &&
           (g_mode == M_IDLE || g_mode == M_RPC ? g_closed == 0 : g_phase == 3);
  return ok ? 0 : 1;
}
