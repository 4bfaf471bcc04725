/*
 * test_kernel_cases.c - every KERNEL row of VG_PLUGIN_SLOTS has its cases,
 * and every check that is generated from the rows finds something to run.
 *
 * The self-test, the conformance suite, checkasm and vgbench run each
 * kernel's cases (core/reference/cases/<kernel>.c) and name no kernel
 * themselves; a kernel whose table lacks the rows for one of them would
 * pass that check by running nothing.  Here every kernel must have cases
 * for every check, every case must build at the sizes the checks use, and
 * what it builds must pass the kernel's own parameter check.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "backend/selftest.h"
#include "vg_kernel_cases.h"

/* The spec list is the KERNEL rows, in table order. */
Test(kernel_cases, one_spec_per_kernel_row)
{
    static const char *const rows[] = {
#define KC_ROW_NAME_(x, name, ...) #name,
        VG_PLUGIN_SLOTS(VG_SLOT_IGNORE, KC_ROW_NAME_, )
#undef KC_ROW_NAME_
    };
    cr_assert_eq(vg_kernel_spec_count, sizeof rows / sizeof rows[0]);
    for (size_t k = 0; k < vg_kernel_spec_count; k++) {
        cr_assert_str_eq(vg_kernel_specs[k].name, rows[k]);
        cr_assert_eq(vg_kernel_spec_find(rows[k]), &vg_kernel_specs[k]);
        cr_assert(vg_kernel_specs[k].cases->reference, "%s has no reference",
                  rows[k]);
    }
    cr_assert_null(vg_kernel_spec_find("sharpen"));
}

/* Every kernel has cases for every check. */
Test(kernel_cases, every_kernel_has_cases_for_every_check)
{
    static const struct {
        unsigned users;
        const char *check;
    } checks[] = {
        {VG_CASE_SELFTEST, "the self-test"},
        {VG_CASE_CONFORMANCE, "the conformance suite"},
        {VG_CASE_CHECKASM, "checkasm"},
        {VG_CASE_CHECKASM_LARGE, "checkasm at the largest sizes"},
        {VG_CASE_BENCH, "vgbench"},
    };
    for (size_t k = 0; k < vg_kernel_spec_count; k++)
        for (size_t c = 0; c < sizeof checks / sizeof checks[0]; c++)
            cr_assert(
                vg_kernel_case_count(&vg_kernel_specs[k], checks[c].users) > 0,
                "%s has no case for %s", vg_kernel_specs[k].name,
                checks[c].check);
}

/* Every case builds at the self-test's sizes, names itself, and passes
 * the kernel's parameter check (the random ones over many seeds); a
 * skipped case is one the check refuses. */
Test(kernel_cases, every_case_builds_valid_parameters)
{
    static const int32_t sizes[][4] = {
        {37, 23, 28, 18}, {257, 131, 193, 99}, {1920, 8, 1441, 7}};
    for (size_t k = 0; k < vg_kernel_spec_count; k++) {
        const vg_kernel_spec *spec = &vg_kernel_specs[k];
        for (size_t i = 0; i < spec->cases->count; i++) {
            cr_assert(spec->cases->users(i) != 0, "%s case %zu has no users",
                      spec->name, i);
            for (size_t s = 0; s < 3; s++) {
                for (uint32_t seed = 1; seed < 40; seed++) {
                    vg_case_geometry g = {
                        sizes[s][0], sizes[s][1],
                        spec->any_size ? sizes[s][2] : sizes[s][0],
                        spec->any_size ? sizes[s][3] : sizes[s][1], seed};
                    vg_kernel_case c;
                    memset(&c, 0, sizeof c);
                    if (spec->cases->make(i, &g, &c) != 0)
                        continue;
                    char msg[256] = "";
                    vg_frame_desc dst = {spec->dst_format, g.width, g.height};
                    cr_assert_eq(spec->check(&c.params, &dst, msg, sizeof msg),
                                 0, "%s case %zu (%s) at %dx%d: %s", spec->name,
                                 i, c.label, g.width, g.height, msg);
                    cr_assert(c.label[0], "%s case %zu has no label",
                              spec->name, i);
                    if (spec->cases->users(i) & VG_CASE_BENCH)
                        cr_assert(c.bench_name && c.bench_name[0],
                                  "%s bench case %zu has no name", spec->name,
                                  i);
                }
            }
        }
    }
}

/* The self-test never skips a case: the number of kernel calls it
 * announces is the number it makes. */
Test(kernel_cases, selftest_cases_build_at_every_selftest_size)
{
    static const int32_t sizes[][2] = {{37, 23}, {257, 131}, {1920, 8}};
    size_t calls = 0;
    for (size_t k = 0; k < vg_kernel_spec_count; k++) {
        const vg_kernel_spec *spec = &vg_kernel_specs[k];
        for (size_t s = 0; s < 3; s++) {
            vg_case_geometry g = {sizes[s][0], sizes[s][1], sizes[s][0],
                                  sizes[s][1], 0};
            if (spec->any_size) {
                g.src_width = g.width * 3 / 4 + 1;
                g.src_height = g.height * 3 / 4 + 1;
            }
            for (size_t i = 0; i < spec->cases->count; i++) {
                if (!(spec->cases->users(i) & VG_CASE_SELFTEST))
                    continue;
                vg_kernel_case c;
                g.seed = (uint32_t)i + 1;
                cr_assert_eq(spec->cases->make(i, &g, &c), 0,
                             "self-test case %zu of %s skips at %dx%d", i,
                             spec->name, g.width, g.height);
                calls++;
            }
        }
    }
    cr_assert_eq((int)calls, VG_SELFTEST_KERNEL_CALLS);
}
