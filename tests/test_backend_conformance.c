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
#include "vg_kernel_cases.h"

/* The options the suite gives each backend: opencl may use PoCL's CPU
 * device, which it skips by default in favour of the native cpu backend. */
static const char *suite_options(const char *name)
{
    return strcmp(name, "opencl") == 0 ? "{device_types: [all]}" : NULL;
}

/* Run check `check_name` on backend `name`.  Backends that need hardware
 * skip when it is absent; the others must be usable. */
static void run_check(const char *name, bool required, const char *check_name)
{
    char reason[2048], msg[1024];
    vgc_check check = vgc_check_from_name(check_name);
    cr_assert_neq(check, VGC_CHECK_COUNT, "no check called %s", check_name);
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
    cr_assert_eq(rc, 0, "%s on %s: %s", check_name, name, msg);
}

#define CONFORMANCE_TEST(backend, required, check)                             \
    Test(conformance_##backend, check, .timeout = 600)                         \
    {                                                                          \
        run_check(#backend, required, #check);                                 \
    }

/* One test per KERNEL row of VG_PLUGIN_SLOTS, generated from it: x is
 * (backend, required). */
#define CONFORMANCE_KERNEL_(x, name, ...)                                      \
    CONFORMANCE_APPLY_(CONFORMANCE_TEST, CONFORMANCE_UNPACK_ x, name)
#define CONFORMANCE_UNPACK_(backend, required) backend, required
#define CONFORMANCE_APPLY_(macro, ...) macro(__VA_ARGS__)

#define CONFORMANCE_SUITE(backend, required)                                   \
    CONFORMANCE_TEST(backend, required, upload_download)                       \
    VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, CONFORMANCE_KERNEL_, (backend, required))

/* The check list is the kernel list: "upload_download", then every
 * KERNEL row by name, in table order (vgc_run relies on it). */
Test(conformance_checks, one_per_kernel_row_in_table_order)
{
    cr_assert_eq((size_t)VGC_CHECK_COUNT, 1 + vg_kernel_spec_count);
    cr_assert_str_eq(vgc_check_name(VGC_UPLOAD_DOWNLOAD), "upload_download");
    for (size_t k = 0; k < vg_kernel_spec_count; k++) {
        cr_assert_str_eq(vgc_check_name((vgc_check)(k + 1)),
                         vg_kernel_specs[k].name);
        cr_assert_eq(vgc_check_from_name(vg_kernel_specs[k].name),
                     (vgc_check)(k + 1));
    }
    cr_assert_null(vgc_check_name(VGC_CHECK_COUNT));
    cr_assert_eq(vgc_check_from_name("warp"), VGC_CHECK_COUNT);
}

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
