/*
 * vg/plugin.h - everything a vg backend plugin needs, and nothing else.
 *
 * A plugin is a shared object that exports exactly one symbol,
 * VG_PLUGIN_ENTRY_NAME.  The loader calls it with the ABI version it speaks;
 * the plugin answers with a vg_plugin descriptor of a version it supports (or
 * NULL).  The descriptor begins with abi_version and struct_size so that later
 * versions only ever append slots: a loader reads a slot only when
 * struct_size covers it (compare the Vulkan loader's ICD negotiation and
 * SQLite's iVersion).
 *
 * The core validates every descriptor before use (version, size, required
 * slots) and every argument before it reaches a slot: sizes, formats and
 * limits are checked by the core, so a plugin may trust what it is given.
 * See docs/writing-a-plugin.md for a walk-through.
 *
 * Threading: the core calls a plugin from one thread at a time per context
 * (vg_plugin_ctx).  probe and check_device may be called from any thread and
 * in a child process; they must not keep state between calls.
 *
 * Ownership: parameter structs and vg_image views need only live for the
 * call.  Frames and contexts are created and destroyed by the plugin through
 * the slots below; strings the plugin returns stay valid while the plugin is
 * loaded (static) or until the next call on the same context (last_error).
 */
#ifndef VG_PLUGIN_H
#define VG_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "vg/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes.  Bumped only when slots are appended:
 * 2 appended probe_with_reason, 3 the asynchronous download and
 * discard_cached_code. */
#define VG_PLUGIN_ABI_VERSION 3u

/* The one exported symbol of a plugin. */
#define VG_PLUGIN_ENTRY_NAME "vg_plugin_entry"

/* Plugins are built with -fvisibility=hidden; this marks the entry symbol. */
#if defined(_WIN32)
#define VG_PLUGIN_EXPORT __declspec(dllexport)
#else
#define VG_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Frame size limits, enforced by the core before any plugin sees a size.
 * 16384 keeps every 16.16 source coordinate of a warp inside int32 and a
 * whole RGBA frame under 1 GiB. */
#define VG_MAX_DIMENSION 16384

/* Sizes of the fixed text fields below (bytes, NUL included). */
#define VG_NAME_MAX 128
#define VG_TEXT_MAX 256
/* The size of the reason buffers the core passes to check_device and open
 * (and of every reason it records): a reason of up to VG_REASON_MAX - 1
 * bytes arrives whole.  The fixed fields of vg_probe_result hold
 * VG_TEXT_MAX. */
#define VG_REASON_MAX 1024
#define VG_MAX_DEVICES 16

/* ------------------------------------------------------------------------ */
/* Plain data: formats, host images, kernel parameters                       */
/* ------------------------------------------------------------------------ */

typedef enum vg_backend_kind {
    VG_BACKEND_GPU = 1,   /* a GPU API: subject to use_gpu / force_gpu */
    VG_BACKEND_CPU = 2,   /* runs on the host CPU */
    VG_BACKEND_OTHER = 3, /* anything else (remote, FPGA...) */
} vg_backend_kind;

typedef enum vg_device_type {
    VG_DEVICE_GPU = 1,
    VG_DEVICE_CPU = 2,
    VG_DEVICE_ACCELERATOR = 3,
    VG_DEVICE_OTHER = 4,
} vg_device_type;

typedef enum vg_pixel_format {
    VG_FORMAT_RGBA8 = 1, /* one plane, 4 bytes per pixel in R,G,B,A order */
    VG_FORMAT_I420 = 2,  /* Y plane, then U and V at ((w+1)/2) x ((h+1)/2) */
} vg_pixel_format;

/* A view of a frame in host memory.  The caller owns the memory.  RGBA8
 * uses data[0]/stride[0]; I420 uses all three planes.  Strides are in bytes
 * and at least the row size. */
typedef struct vg_image {
    vg_pixel_format format;
    int32_t width;
    int32_t height;
    uint8_t *data[3];
    int32_t stride[3];
} vg_image;

/* What a frame allocation asks for. */
typedef struct vg_frame_desc {
    vg_pixel_format format;
    int32_t width;
    int32_t height;
} vg_frame_desc;

/* Procedural sources: a pure function of (x, y, width, height, frame). */
typedef enum vg_pattern_kind {
    VG_PATTERN_TESTSRC = 1, /* moving gradients and a scrolling checker */
    VG_PATTERN_BARS = 2,    /* SMPTE-style colour bars */
    VG_PATTERN_CHECKER = 3, /* static checkerboard of rgba and its inverse */
    VG_PATTERN_SOLID = 4,   /* every pixel = rgba */
} vg_pattern_kind;

typedef struct vg_pattern_params {
    uint32_t kind;        /* vg_pattern_kind */
    uint32_t frame_index; /* the frame the source is evaluated at */
    uint32_t rgba;        /* colour for SOLID and CHECKER: 0xRRGGBBAA */
} vg_pattern_params;

typedef enum vg_edge_mode {
    VG_EDGE_CLAMP =
        1, /* a tap outside the source takes the nearest edge pixel */
    VG_EDGE_BORDER = 2, /* a tap outside the source takes border_rgba */
} vg_edge_mode;

/* Affine warp with bilinear sampling.  Destination pixel (x, y) samples the
 * source at (u, v), 16.16 fixed point with pixel centres at integers:
 *     u = u0 + x * du_dx + y * du_dy
 *     v = v0 + x * dv_dx + y * dv_dy
 * evaluated exactly (64-bit); the core guarantees u and v fit in int32 over
 * the whole destination.  docs/kernels.md gives the exact sampling rule. */
typedef struct vg_warp_params {
    int32_t u0, v0;
    int32_t du_dx, du_dy;
    int32_t dv_dx, dv_dy;
    uint32_t edge;        /* vg_edge_mode */
    uint32_t border_rgba; /* 0xRRGGBBAA, used with VG_EDGE_BORDER */
} vg_warp_params;

typedef enum vg_blend_mode {
    VG_BLEND_CROSSFADE = 1,  /* dst = a + (b - a) * weight / 256, rounded */
    VG_BLEND_ALPHA_OVER = 2, /* dst = a (straight alpha) over b */
    VG_BLEND_WIPE = 3,       /* columns x < position take b, the rest a */
} vg_blend_mode;

typedef struct vg_blend_params {
    uint32_t mode;    /* vg_blend_mode */
    uint32_t weight;  /* CROSSFADE: weight of b, 0..256 */
    int32_t position; /* WIPE: first column that still shows a, 0..width */
} vg_blend_params;

/* Separable Gaussian blur: the same taps horizontally then vertically. */
#define VG_BLUR_MAX_RADIUS 64
typedef struct vg_blur_params {
    int32_t radius; /* 1..VG_BLUR_MAX_RADIUS; 2 * radius + 1 taps */
    /* Q14 taps, symmetric, summing to exactly 16384; taps[radius] is the
     * centre.  Computed once by the core from sigma. */
    int16_t taps[2 * VG_BLUR_MAX_RADIUS + 1];
} vg_blur_params;

typedef enum vg_color_matrix {
    VG_MATRIX_BT601 = 1,
    VG_MATRIX_BT709 = 2,
} vg_color_matrix;

typedef enum vg_color_range {
    VG_RANGE_LIMITED = 1, /* Y 16..235, U/V 16..240 */
    VG_RANGE_FULL = 2,    /* Y, U, V 0..255 */
} vg_color_range;

/* Integer colour conversion coefficients, computed once by the core (in
 * double, from the BT.601 / BT.709 definitions) for one matrix and range.
 * docs/kernels.md gives the exact formulas; in short:
 *   Y = (y_r*R + y_g*G + y_b*B + (y_offset << 14) + 8192) >> 14
 *   U = (u_r*SR + u_g*SG + u_b*SB + (128 << 16) + 32768) >> 16
 * where SR/SG/SB are sums over the 2x2 block (Q14 coefficients times four),
 * and back again (Q13):
 *   R = (y_scale*(Y - y_offset) + r_v*(V - 128) + 4096) >> 13  ...
 * every result clamped to 0..255 (negative sums clamp to 0 before shifting).
 */
typedef struct vg_color_params {
    uint32_t matrix;  /* vg_color_matrix, for tagging */
    uint32_t range;   /* vg_color_range, for tagging */
    int32_t y_offset; /* 16 (limited) or 0 (full) */
    /* RGB -> YUV, Q14 */
    int32_t y_r, y_g, y_b;
    int32_t u_r, u_g, u_b;
    int32_t v_r, v_g, v_b;
    /* YUV -> RGB, Q13 */
    int32_t y_scale;
    int32_t r_v;
    int32_t g_u, g_v;
    int32_t b_u;
} vg_color_params;

/* The largest frame a job will use, so a device can be checked against it
 * before anything is allocated. */
typedef struct vg_job_limits {
    int32_t max_width;
    int32_t max_height;
} vg_job_limits;

/* ------------------------------------------------------------------------ */
/* Probe results: plain data, no pointers into the plugin, so probing can run */
/* in a child process and be cached.                                         */
/* ------------------------------------------------------------------------ */

typedef struct vg_device_info {
    char name[VG_NAME_MAX]; /* "NVIDIA H100 80GB HBM3", "AMD EPYC (avx2)" */
    char vendor[VG_NAME_MAX];
    char driver[VG_NAME_MAX]; /* driver / runtime version text */
    char
        detail[VG_TEXT_MAX]; /* backend facts: "sm_90, 132 SMs", "OpenCL 3.0" */
    uint32_t type;           /* vg_device_type */
    uint32_t compute_units;
    uint64_t memory_bytes;
} vg_device_info;

typedef struct vg_probe_result {
    uint32_t device_count;
    vg_device_info devices[VG_MAX_DEVICES];
    /* plugin-wide facts, one line: "CUDA runtime 13.0, built for sm_75..." */
    char detail[VG_TEXT_MAX];
    /* when device_count is 0 or probe fails: why, one line, human-readable */
    char reason[VG_TEXT_MAX];
} vg_probe_result;

/* ------------------------------------------------------------------------ */
/* Plugin options: declared by the plugin, validated by the core.            */
/* ------------------------------------------------------------------------ */

/* A plugin declares the keys it accepts under backend_options.<name> in the
 * config.  The core checks types, ranges and choices against this table
 * (reporting file:line:column), fills in defaults, and hands the plugin one
 * vg_option_value per declared option, in declaration order. */
typedef enum vg_option_type {
    VG_OPTION_BOOL = 1,   /* true/false -> integer 0/1 */
    VG_OPTION_INT = 2,    /* integer within [min, max] */
    VG_OPTION_STRING = 3, /* any text -> string */
    VG_OPTION_ENUM = 4,   /* one of choices -> integer = its index */
    VG_OPTION_FLAGS = 5, /* a list of choices -> integer = bitmask of indices */
} vg_option_type;

typedef struct vg_option_desc {
    const char *name;           /* key, e.g. "threads" */
    uint32_t type;              /* vg_option_type */
    const char *default_value;  /* YAML text; FLAGS as "a, b" */
    int64_t min, max;           /* INT only */
    const char *const *choices; /* ENUM/FLAGS: NULL-terminated, at most 63 */
    const char *help;           /* one line for --list-backends and docs */
} vg_option_desc;

typedef struct vg_option_value {
    int64_t integer;    /* BOOL, INT, ENUM index, FLAGS bitmask */
    const char *string; /* the value as text, for every type; never NULL */
} vg_option_value;

/* ------------------------------------------------------------------------ */
/* The slot table                                                            */
/* ------------------------------------------------------------------------ */

/* A plugin's device context and frames; each plugin defines them.
 * docs/abi.md records the names these will take (the rename is pending). */
typedef struct vg_plugin_ctx vg_plugin_ctx;
typedef struct vg_plugin_frame vg_plugin_frame;

/*
 * VG_PLUGIN_SLOTS is the one list of the descriptor's slots, in ABI order.
 * The descriptor struct below, the loader's validation, the core's checked
 * wrappers, the self-test's call list and every plugin's declarations and
 * descriptor initialisers are generated from it; docs/abi.md explains how
 * it grows and docs/contributing.md how to add a row.
 *
 * VG_PLUGIN_SLOTS(SLOT, KERNEL, x) expands SLOT(x, ...) or KERNEL(x, ...)
 * for each row; x is passed through untouched (a prefix, say), and may be
 * empty.  A row is one of two kinds:
 *
 *   SLOT(x, name, presence, since, return_type, (parameters), (arguments))
 *       an entry point; `arguments` repeats the parameter names so that
 *       generated code (wrappers, proxies) can forward a call.
 *
 *   KERNEL(x, name, presence, since, params_type, shape, dst_format,
 *          src_format, size_rule)
 *       a video kernel, always
 *           int name(vg_plugin_ctx *ctx, vg_plugin_frame *dst, <sources>,
 *                    const params_type *params);
 *       shape SRC0 has no source, SRC1 one (`src`), SRC2 two (`a`, `b`).
 *       dst_format and src_format are vg_pixel_format names without the
 *       VG_FORMAT_ prefix.  size_rule SAME_SIZE: every source has the
 *       destination's size; ANY_SIZE: sources may have any size.
 *
 * presence is REQUIRED (the loader rejects a descriptor whose slot is
 * NULL) or OPTIONAL (NULL means "not provided": the core's wrapper answers
 * VG_ERR_UNSUPPORTED).  since is the ABI version that appended the row.
 *
 * Rows are only ever appended, after the last one, with since =
 * VG_PLUGIN_ABI_VERSION bumped by one: a slot never moves, changes type or
 * disappears within a major version (docs/abi.md).
 *
 * Every int-returning slot returns 0 or a negative vg_error code; on
 * failure it leaves a one-line explanation in the reason buffer it was
 * given or, for slots on a context, in last_error().  Kernels may run
 * asynchronously: an error may surface at a later kernel, at sync or at
 * frame_download.  All frames passed to one call belong to the context
 * passed with them; the core never passes the same frame as both a source
 * and the destination, and checks formats, sizes and parameters first.
 */
#define VG_PLUGIN_SLOTS(SLOT, KERNEL, x)                                       \
    /* Enumerate devices.  Fast, no side effects, no state kept.  Returns 0    \
     * with device_count 0 and a reason when nothing usable was found;         \
     * negative when probing itself failed (reason says why). */               \
    SLOT(x, probe, REQUIRED, 1, int,                                           \
         (const vg_option_value *options, vg_probe_result *out),               \
         (options, out))                                                       \
    /* Can device `device` run this plugin's kernels for frames up to          \
     * `limits`?  0 if so (reason may carry a note, e.g. "will JIT from        \
     * PTX"); VG_ERR_UNSUPPORTED or another code with the reason otherwise.    \
     * May do real work (build a program, query a kernel) but keeps no         \
     * state. */                                                               \
    SLOT(x, check_device, REQUIRED, 1, int,                                    \
         (const vg_option_value *options, uint32_t device,                     \
          const vg_job_limits *limits, char *reason, size_t reason_size),      \
         (options, device, limits, reason, reason_size))                       \
    /* Open a context on `device`.  On failure *out stays NULL and reason      \
     * says why. */                                                            \
    SLOT(x, open, REQUIRED, 1, int,                                            \
         (const vg_option_value *options, uint32_t device,                     \
          const vg_job_limits *limits, vg_plugin_ctx **out, char *reason,      \
          size_t reason_size),                                                 \
         (options, device, limits, out, reason, reason_size))                  \
    /* Release a context and every frame still allocated on it.  NULL is a     \
     * no-op. */                                                               \
    SLOT(x, close, REQUIRED, 1, void, (vg_plugin_ctx * ctx), (ctx))            \
    /* The message of the last failure on ctx; never NULL ("" when none). */   \
    SLOT(x, last_error, REQUIRED, 1, const char *, (const vg_plugin_ctx *ctx), \
         (ctx))                                                                \
    SLOT(x, frame_alloc, REQUIRED, 1, int,                                     \
         (vg_plugin_ctx * ctx, const vg_frame_desc *desc,                      \
          vg_plugin_frame **out),                                              \
         (ctx, desc, out))                                                     \
    /* NULL is a no-op. */                                                     \
    SLOT(x, frame_free, REQUIRED, 1, void,                                     \
         (vg_plugin_ctx * ctx, vg_plugin_frame * frame), (ctx, frame))         \
    /* Copy host -> frame.  `src` matches the frame's format and size. */      \
    SLOT(x, frame_upload, REQUIRED, 1, int,                                    \
         (vg_plugin_ctx * ctx, vg_plugin_frame * dst, const vg_image *src),    \
         (ctx, dst, src))                                                      \
    /* Copy frame -> host; complete (synchronised) when it returns. */         \
    SLOT(x, frame_download, REQUIRED, 1, int,                                  \
         (vg_plugin_ctx * ctx, const vg_plugin_frame *src,                     \
          const vg_image *dst),                                                \
         (ctx, src, dst))                                                      \
    /* The video kernels (docs/kernels.md gives each one's exact math). */     \
    KERNEL(x, fill_pattern, REQUIRED, 1, vg_pattern_params, SRC0, RGBA8,       \
           RGBA8, ANY_SIZE)                                                    \
    KERNEL(x, warp_affine, REQUIRED, 1, vg_warp_params, SRC1, RGBA8, RGBA8,    \
           ANY_SIZE)                                                           \
    KERNEL(x, blend, REQUIRED, 1, vg_blend_params, SRC2, RGBA8, RGBA8,         \
           SAME_SIZE)                                                          \
    KERNEL(x, blur, REQUIRED, 1, vg_blur_params, SRC1, RGBA8, RGBA8,           \
           SAME_SIZE)                                                          \
    KERNEL(x, rgba_to_i420, REQUIRED, 1, vg_color_params, SRC1, I420, RGBA8,   \
           SAME_SIZE)                                                          \
    KERNEL(x, i420_to_rgba, REQUIRED, 1, vg_color_params, SRC1, RGBA8, I420,   \
           SAME_SIZE)                                                          \
    /* Wait until every kernel queued on ctx has finished; reports errors      \
     * of asynchronous work. */                                                \
    SLOT(x, sync, REQUIRED, 1, int, (vg_plugin_ctx * ctx), (ctx))              \
    /* ---- ABI version 2 ---- */                                              \
    /* probe, with room for a long reason: fills `out` as probe does, but      \
     * writes the reason (no usable device, or probing failed) into            \
     * `reason`, reason_size bytes (VG_REASON_MAX), instead of the             \
     * VG_TEXT_MAX field out->reason, so it arrives whole.  When set, the      \
     * core calls it in place of probe. */                                     \
    SLOT(x, probe_with_reason, OPTIONAL, 2, int,                               \
         (const vg_option_value *options, vg_probe_result *out, char *reason,  \
          size_t reason_size),                                                 \
         (options, out, reason, reason_size))                                  \
    /* ---- ABI version 3: optional, set both or neither ---- */               \
    /* Asynchronous download, so that the copy of frame N overlaps the         \
     * kernels of frame N + 1.  frame_download_start queues a copy of `src`    \
     * into `dst` that sees every write to `src` queued before it, and         \
     * returns without waiting.  frame_download_wait(ctx, src) blocks until    \
     * that copy is complete and its bytes are in `dst`, and reports any       \
     * error of the copy or of the kernels it waited for (as frame_download    \
     * would).  The core keeps its side of the bargain: at most one download   \
     * per frame is pending; until its wait returns, nothing writes `src`      \
     * (no kernel destination, no upload), `dst` is left alone, and the        \
     * frame is not freed; every start is followed by exactly one wait,        \
     * before close.  Kernels queued in between that write other frames may    \
     * run while the copy does: that is the point.  A plugin without these     \
     * slots gets frame_download at start and nothing at wait; the loader      \
     * refuses a descriptor that sets only one of them. */                     \
    SLOT(x, frame_download_start, OPTIONAL, 3, int,                            \
         (vg_plugin_ctx * ctx, const vg_plugin_frame *src,                     \
          const vg_image *dst),                                                \
         (ctx, src, dst))                                                      \
    SLOT(x, frame_download_wait, OPTIONAL, 3, int,                             \
         (vg_plugin_ctx * ctx, const vg_plugin_frame *src), (ctx, src))        \
    /* The core's self-test found this context's output wrong.  If the         \
     * context was built from cached code (a program binary cache), delete     \
     * that cache entry so that the next open builds from source, and          \
     * return 1; return 0 when it used no cached code.  The core then closes   \
     * the context, opens a new one and tests it again                         \
     * (docs/backends/opencl.md). */                                           \
    SLOT(x, discard_cached_code, OPTIONAL, 3, int, (vg_plugin_ctx * ctx), (ctx))

/* A kernel's parameter list and argument list by shape. */
#define VG_KERNEL_PARAMS_SRC0(params_type)                                     \
    (vg_plugin_ctx * ctx, vg_plugin_frame * dst, const params_type *params)
#define VG_KERNEL_PARAMS_SRC1(params_type)                                     \
    (vg_plugin_ctx * ctx, vg_plugin_frame * dst, const vg_plugin_frame *src,   \
     const params_type *params)
#define VG_KERNEL_PARAMS_SRC2(params_type)                                     \
    (vg_plugin_ctx * ctx, vg_plugin_frame * dst, const vg_plugin_frame *a,     \
     const vg_plugin_frame *b, const params_type *params)
#define VG_KERNEL_ARGS_SRC0 (ctx, dst, params)
#define VG_KERNEL_ARGS_SRC1 (ctx, dst, src, params)
#define VG_KERNEL_ARGS_SRC2 (ctx, dst, a, b, params)
/* How many source frames a kernel of each shape takes. */
#define VG_KERNEL_SOURCES_SRC0 0
#define VG_KERNEL_SOURCES_SRC1 1
#define VG_KERNEL_SOURCES_SRC2 2

/* presence as a number: 1 for REQUIRED, 0 for OPTIONAL. */
#define VG_SLOT_IS_REQUIRED 1
#define VG_SLOT_IS_OPTIONAL 0

/* Row visitors for the common cases: ignore a row of the other kind. */
#define VG_SLOT_IGNORE(x, name, presence, since, ret, params, args)
#define VG_KERNEL_IGNORE(x, name, presence, since, ptype, shape, dst_format,   \
                         src_format, size_rule)

/* ------------------------------------------------------------------------ */
/* The descriptor                                                            */
/* ------------------------------------------------------------------------ */

#define VG_SLOT_FIELD_(x, name, presence, since, ret, params, args)            \
    ret(*name) params;
#define VG_KERNEL_FIELD_(x, name, presence, since, ptype, shape, dst_format,   \
                         src_format, size_rule)                                \
    int(*name) VG_KERNEL_PARAMS_##shape(ptype);

/*
 * The plugin descriptor: a fixed header, then one function pointer per row
 * of VG_PLUGIN_SLOTS in table order.
 */
typedef struct vg_plugin {
    uint32_t abi_version; /* VG_PLUGIN_ABI_VERSION this descriptor follows */
    uint32_t struct_size; /* sizeof(vg_plugin) as the plugin was built */

    const char *name;        /* backend name used in config: [a-z0-9_]+ */
    const char *version;     /* the plugin's own version text */
    const char *description; /* one line */
    uint32_t kind;           /* vg_backend_kind */

    const vg_option_desc *options; /* optional: NULL when option_count is 0 */
    uint32_t option_count;

    VG_PLUGIN_SLOTS(VG_SLOT_FIELD_, VG_KERNEL_FIELD_, )
} vg_plugin;

#undef VG_SLOT_FIELD_
#undef VG_KERNEL_FIELD_

/* The descriptor sizes of ABI versions 1, 2 and 3 (the loader computes any
 * version's from the table: vg_plugin_size_for_abi in the core). */
#define VG_PLUGIN_SIZE_V1 (offsetof(vg_plugin, sync) + sizeof(void (*)(void)))
#define VG_PLUGIN_SIZE_V2                                                      \
    (offsetof(vg_plugin, probe_with_reason) + sizeof(void (*)(void)))
#define VG_PLUGIN_SIZE_V3                                                      \
    (offsetof(vg_plugin, discard_cached_code) + sizeof(void (*)(void)))

/* Whether `desc` has `slot` set, reading it only when struct_size covers it
 * (a plugin built against an older header has a shorter descriptor). */
#define VG_PLUGIN_HAS_SLOT(desc, slot)                                         \
    ((desc)->struct_size >=                                                    \
         offsetof(vg_plugin, slot) + sizeof((desc)->slot) &&                   \
     (desc)->slot != NULL)

/* ------------------------------------------------------------------------ */
/* Generated plugin code                                                     */
/* ------------------------------------------------------------------------ */

/* Declare `prefix<slot>` for every REQUIRED row, with the slot's exact
 * type: VG_PLUGIN_DECLARE_SLOTS(cpu_) declares int cpu_probe(...), ...
 * An OPTIONAL row a plugin implements is declared and set with the macros
 * below it. */
#define VG_PLUGIN_DECLARE_SLOTS(prefix)                                        \
    VG_PLUGIN_SLOTS(VG_DECLARE_SLOT_, VG_DECLARE_KERNEL_, prefix)

/* `.slot = prefix<slot>,` for every REQUIRED row, for a descriptor's
 * initialiser:
 *     static const vg_plugin plugin = {..., VG_PLUGIN_SLOT_INITIALIZERS(cpu_)};
 * OPTIONAL slots a plugin implements are added after it by hand. */
#define VG_PLUGIN_SLOT_INITIALIZERS(prefix)                                    \
    VG_PLUGIN_SLOTS(VG_INIT_SLOT_, VG_INIT_KERNEL_, prefix)

/* Their row visitors: dispatch on presence. */
#define VG_DECLARE_SLOT_(prefix, name, presence, since, ret, params, args)     \
    VG_DECLARE_##presence(ret, prefix##name, params)
#define VG_DECLARE_KERNEL_(prefix, name, presence, since, ptype, shape,        \
                           dst_format, src_format, size_rule)                  \
    VG_DECLARE_##presence(int, prefix##name, VG_KERNEL_PARAMS_##shape(ptype))
#define VG_DECLARE_REQUIRED(ret, fn, params) ret fn params;
#define VG_DECLARE_OPTIONAL(ret, fn, params)
#define VG_INIT_SLOT_(prefix, name, presence, since, ret, params, args)        \
    VG_INIT_##presence(name, prefix##name)
#define VG_INIT_KERNEL_(prefix, name, presence, since, ptype, shape,           \
                        dst_format, src_format, size_rule)                     \
    VG_INIT_##presence(name, prefix##name)
#define VG_INIT_REQUIRED(name, fn) .name = fn,
#define VG_INIT_OPTIONAL(name, fn)

/* The function type of every row, vg_plugin_<slot>_fn, so that a slot is
 * declared from the table by name. */
#define VG_SLOT_TYPE_(x, name, presence, since, ret, params, args)             \
    typedef ret vg_plugin_##name##_fn params;
#define VG_KERNEL_TYPE_(x, name, presence, since, ptype, shape, dst_format,    \
                        src_format, size_rule)                                 \
    typedef int vg_plugin_##name##_fn VG_KERNEL_PARAMS_##shape(ptype);
VG_PLUGIN_SLOTS(VG_SLOT_TYPE_, VG_KERNEL_TYPE_, )
#undef VG_SLOT_TYPE_
#undef VG_KERNEL_TYPE_

/* One OPTIONAL row a plugin implements, by name, with the row's type:
 *     VG_PLUGIN_DECLARE_SLOT(vg_ocl_, probe_with_reason)
 * declares vg_ocl_probe_with_reason, and
 *     {..., VG_PLUGIN_SLOT_INITIALIZERS(vg_ocl_)
 *           VG_PLUGIN_SLOT_INITIALIZER(vg_ocl_, probe_with_reason)}
 * sets it. */
#define VG_PLUGIN_DECLARE_SLOT(prefix, name) vg_plugin_##name##_fn prefix##name;
#define VG_PLUGIN_SLOT_INITIALIZER(prefix, name) .name = prefix##name,

/* ABI version 3's asynchronous download: two OPTIONAL rows that a plugin
 * sets together or not at all (the loader refuses one alone), so they are
 * declared and set as one: prefix<frame_download_start> and
 * prefix<frame_download_wait>. */
#define VG_PLUGIN_DECLARE_ASYNC_DOWNLOAD(prefix)                               \
    VG_PLUGIN_DECLARE_SLOT(prefix, frame_download_start)                       \
    VG_PLUGIN_DECLARE_SLOT(prefix, frame_download_wait)
#define VG_PLUGIN_ASYNC_DOWNLOAD_INITIALIZERS(prefix)                          \
    VG_PLUGIN_SLOT_INITIALIZER(prefix, frame_download_start)                   \
    VG_PLUGIN_SLOT_INITIALIZER(prefix, frame_download_wait)

/* The entry point's type.  Returns a descriptor with abi_version <=
 * loader_abi_version, or NULL when the plugin supports none of the versions
 * the loader speaks.  Called once per load; the descriptor is static. */
typedef const vg_plugin *(*vg_plugin_entry_fn)(uint32_t loader_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* VG_PLUGIN_H */
