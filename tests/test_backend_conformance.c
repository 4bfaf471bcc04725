/*
 * test_backend_conformance.c - one suite, every backend.
 *
 * Each kernel runs through the core's validated wrappers on every backend
 * (cpu, faulty, opencl on PoCL, cuda when a GPU is present) on seeded
 * random and worst-case inputs at many sizes, and its bytes are compared
 * with the reference.  The checks themselves are the ones the installed
 * vg-conformance tool runs (tools/vg-conformance/conformance_checks.c); this
 * file only decides which backends must pass.  A new plugin gets these
 * tests by adding one line at the bottom.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "conformance.h"
#include "test_support.h"

/* The options the suite gives each backend: opencl may use PoCL's CPU
 * device, which it skips by default in favour of the native cpu backend. */
static const char *suite_options(const char *name)
{
    return strcmp(name, "opencl") == 0 ? "{device_types: [all]}" : NULL;
}

/* Run `check` on backend `name`.  Backends that need hardware skip when it
 * is absent; the others must be usable. */
static void run_check(const char *name, bool required, vgc_check check)
{
    char reason[2048], msg[1024];
    vgc_session *session = NULL;
    int rc = vgc_session_create(name, NULL, suite_options(name), &session,
                                reason, sizeof reason);
    if (rc != 0) {
        if (required)
            cr_assert_fail("backend %s must be usable here: %s", name, reason);
        cr_skip_test("backend %s not usable here: %s", name, reason);
    }
    rc = vgc_run(session, check, msg, sizeof msg);
    vgc_session_destroy(&session);
    cr_assert_eq(rc, 0, "%s on %s: %s", vgc_check_name(check), name, msg);
}

#define CONFORMANCE_TEST(backend, required, check, id)                         \
    Test(conformance_##backend, check, .timeout = 600)                         \
    {                                                                          \
        run_check(#backend, required, id);                                     \
    }

#define CONFORMANCE_SUITE(backend, required)                                   \
    CONFORMANCE_TEST(backend, required, upload_download, VGC_UPLOAD_DOWNLOAD)  \
    CONFORMANCE_TEST(backend, required, pattern, VGC_PATTERN)                  \
    CONFORMANCE_TEST(backend, required, warp, VGC_WARP)                        \
    CONFORMANCE_TEST(backend, required, blend, VGC_BLEND)                      \
    CONFORMANCE_TEST(backend, required, blur, VGC_BLUR)                        \
    CONFORMANCE_TEST(backend, required, color, VGC_COLOR)

/* cpu and the faulty test backend always work; opencl must work wherever
 * its plugin was built and an OpenCL runtime (PoCL in CI) is installed;
 * cuda needs an NVIDIA GPU and skips with the reason otherwise. */
CONFORMANCE_SUITE(cpu, true)
CONFORMANCE_SUITE(faulty, true)
#ifdef VG_TEST_REQUIRE_OPENCL
CONFORMANCE_SUITE(opencl, true)
#else
CONFORMANCE_SUITE(opencl, false)
#endif
CONFORMANCE_SUITE(cuda, false)
