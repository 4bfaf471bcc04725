/*
 * test_cuda_arch_decision.c - the CUDA capability decision as a table: the
 * GPU generations users have, against the build architecture lists that
 * matter (the full default, sm_80 only without PTX, PTX only), plus the
 * parsers for the recorded list and for cuda.min_compute_capability.
 *
 * The decision is pure C (plugins/cuda/cuda_arch_decision.c), compiled into
 * this test directly so it runs without CUDA.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "../plugins/cuda/cuda_arch_decision.c"

/* What CMake records for the default CUDA 13 build: SASS for every real
 * architecture of nvcc --list-gpu-code, PTX for the oldest. */
#define FULL_DEFAULT                                                           \
    "sm_75 sm_80 sm_86 sm_87 sm_88 sm_89 sm_90 sm_100 sm_103 sm_110 "          \
    "sm_120 sm_121 compute_75"

/* The toolkit the advice is for: CUDA 13.0, whose oldest SASS is sm_75. */
#define CUDA13 13000

typedef struct decision_row {
    int device_cc;
    vg_cuda_verdict verdict;
    const char *image; /* the chosen image, NULL when unusable */
    const char *text;  /* a substring the one-line text must contain */
} decision_row;

static void check_table(const char *built_text, int min_cc,
                        const decision_row *rows, size_t count)
{
    vg_cuda_arch_list built;
    char err[128] = "";
    cr_assert_eq(vg_cuda_arch_list_parse(built_text, &built, err, sizeof(err)),
                 0, "%s", err);
    for (size_t i = 0; i < count; i++) {
        const decision_row *row = &rows[i];
        vg_cuda_decision d;
        vg_cuda_decide(row->device_cc, &built, min_cc, CUDA13, &d);
        cr_expect_eq(d.verdict, row->verdict,
                     "[%s] cc %d: verdict %d, expected %d (%s)", built_text,
                     row->device_cc, d.verdict, row->verdict, d.text);
        cr_expect_eq(vg_cuda_decision_usable(&d), row->image != NULL,
                     "[%s] cc %d: usable disagrees with verdict", built_text,
                     row->device_cc);
        if (row->image) {
            char name[32];
            vg_cuda_image_format(&d.image, name, sizeof(name));
            cr_expect_str_eq(name, row->image, "[%s] cc %d: chose %s",
                             built_text, row->device_cc, name);
        }
        cr_expect(strstr(d.text, row->text) != NULL,
                  "[%s] cc %d: '%s' lacks '%s'", built_text, row->device_cc,
                  d.text, row->text);
    }
}

#define CHECK_TABLE(built, min_cc, rows)                                       \
    check_table((built), (min_cc), (rows), sizeof(rows) / sizeof((rows)[0]))

Test(cuda_arch_decision, full_default_list)
{
    static const decision_row rows[] = {
        {61, VG_CUDA_BELOW_MINIMUM, NULL,
         "6.1 (Pascal) is below cuda.min_compute_capability 7.5"},
        {70, VG_CUDA_BELOW_MINIMUM, NULL, "7.0 (Volta) is below"},
        {75, VG_CUDA_RUN_SASS, "sm_75", "(Turing) runs SASS sm_75"},
        {80, VG_CUDA_RUN_SASS, "sm_80", "(Ampere) runs SASS sm_80"},
        {86, VG_CUDA_RUN_SASS, "sm_86", "runs SASS sm_86"},
        {89, VG_CUDA_RUN_SASS, "sm_89", "8.9 (Ada Lovelace) runs SASS sm_89"},
        {90, VG_CUDA_RUN_SASS, "sm_90", "9.0 (Hopper) runs SASS sm_90"},
        {100, VG_CUDA_RUN_SASS, "sm_100", "10.0 (Blackwell) runs SASS sm_100"},
        {120, VG_CUDA_RUN_SASS, "sm_120", "12.0 (Blackwell) runs SASS sm_120"},
        /* A generation newer than the toolkit: forward JIT from the PTX. */
        {130, VG_CUDA_RUN_JIT, "compute_75",
         "will JIT from compute_75, first run slower"},
    };
    CHECK_TABLE(FULL_DEFAULT, 75, rows);
}

Test(cuda_arch_decision, sm80_only_without_ptx)
{
    static const decision_row rows[] = {
        {61, VG_CUDA_BELOW_MINIMUM, NULL, "below"},
        {70, VG_CUDA_BELOW_MINIMUM, NULL, "below"},
        {75, VG_CUDA_NO_IMAGE, NULL,
         "no kernel image for compute capability 7.5 (Turing): built for "
         "sm_80 (no PTX to JIT)"},
        {80, VG_CUDA_RUN_SASS, "sm_80", "runs SASS sm_80"},
        /* Same major, higher minor: sm_80 SASS runs. */
        {86, VG_CUDA_RUN_SASS, "sm_80", "8.6 (Ampere) runs SASS sm_80"},
        {89, VG_CUDA_RUN_SASS, "sm_80", "8.9 (Ada Lovelace) runs SASS sm_80"},
        /* Never across a major version. */
        {90, VG_CUDA_NO_IMAGE, NULL, "-DCMAKE_CUDA_ARCHITECTURES=90-real"},
        {100, VG_CUDA_NO_IMAGE, NULL, "no kernel image"},
        {120, VG_CUDA_NO_IMAGE, NULL, "no kernel image"},
    };
    CHECK_TABLE("sm_80", 75, rows);
}

Test(cuda_arch_decision, ptx_only)
{
    static const decision_row rows[] = {
        {61, VG_CUDA_BELOW_MINIMUM, NULL, "below"},
        {70, VG_CUDA_BELOW_MINIMUM, NULL, "below"},
        {75, VG_CUDA_RUN_JIT, "compute_75", "will JIT from compute_75"},
        {80, VG_CUDA_RUN_JIT, "compute_75", "will JIT from compute_75"},
        {86, VG_CUDA_RUN_JIT, "compute_75", "first run slower"},
        {89, VG_CUDA_RUN_JIT, "compute_75", "has no SASS in this build"},
        {90, VG_CUDA_RUN_JIT, "compute_75", "will JIT"},
        {100, VG_CUDA_RUN_JIT, "compute_75", "will JIT"},
        {120, VG_CUDA_RUN_JIT, "compute_75", "will JIT"},
    };
    CHECK_TABLE("compute_75", 75, rows);
}

Test(cuda_arch_decision, lowered_minimum_still_needs_an_image)
{
    /* min_compute_capability 6.0 lets Pascal past the first rule, but a
     * CUDA 13 build has nothing it can run: PTX does not JIT backwards. */
    static const decision_row rows[] = {
        {61, VG_CUDA_NO_IMAGE, NULL,
         "no kernel image for compute "
         "capability 6.1 (Pascal)"},
        {70, VG_CUDA_NO_IMAGE, NULL, "(Volta)"},
        {75, VG_CUDA_RUN_SASS, "sm_75", "sm_75"},
    };
    CHECK_TABLE(FULL_DEFAULT, 60, rows);
    check_table("compute_75", 60, rows, 2);
}

Test(cuda_arch_decision, raised_minimum)
{
    static const decision_row rows[] = {
        {75, VG_CUDA_BELOW_MINIMUM, NULL,
         "below cuda.min_compute_capability "
         "8.0"},
        {80, VG_CUDA_RUN_SASS, "sm_80", "sm_80"},
    };
    CHECK_TABLE(FULL_DEFAULT, 80, rows);
}

Test(cuda_arch_decision, sass_preferred_and_newest_compatible_chosen)
{
    static const decision_row rows[] = {
        {80, VG_CUDA_RUN_SASS, "sm_80", "sm_80"},
        {86, VG_CUDA_RUN_SASS, "sm_86", "sm_86"},
        {89, VG_CUDA_RUN_SASS, "sm_86", "sm_86"},
        /* No SASS for 9.0: the newest PTX not above it. */
        {90, VG_CUDA_RUN_JIT, "compute_90", "will JIT from compute_90"},
        {120, VG_CUDA_RUN_JIT, "compute_90", "compute_90"},
        {75, VG_CUDA_NO_IMAGE, NULL, "built for sm_80/86 + compute_80/90"},
    };
    CHECK_TABLE("sm_80 sm_86 compute_80 compute_90", 75, rows);
}

Test(cuda_arch_decision, architecture_specific_and_family_variants)
{
    static const decision_row specific[] = {
        {90, VG_CUDA_RUN_SASS, "sm_90a", "sm_90a"},
        {100, VG_CUDA_NO_IMAGE, NULL, "built for sm_90a + compute_90a"},
    };
    CHECK_TABLE("sm_90a compute_90a", 75, specific);

    static const decision_row family[] = {
        {100, VG_CUDA_RUN_SASS, "sm_100f", "sm_100f"},
        {103, VG_CUDA_RUN_SASS, "sm_100f", "sm_100f"},
        {110, VG_CUDA_NO_IMAGE, NULL, "no kernel image"},
        {120, VG_CUDA_NO_IMAGE, NULL, "no kernel image"},
    };
    CHECK_TABLE("sm_100f", 75, family);

    /* compute_90a JITs for 9.0 only; plain sm_90 loses the tie to sm_90a. */
    static const decision_row mixed[] = {
        {90, VG_CUDA_RUN_SASS, "sm_90a", "sm_90a"},
        {100, VG_CUDA_NO_IMAGE, NULL, "no kernel image"},
    };
    CHECK_TABLE("sm_90 sm_90a compute_90a", 75, mixed);
}

Test(cuda_arch_decision, list_parse_rejects_malformed_entries)
{
    static const char *const bad[] = {
        "",          "   ",         "sm_",   "sm_7",  "sm_1000",     "sm_80x",
        "compute80", "sm_80 bogus", "SM_80", "sm_08", "compute_90b",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vg_cuda_arch_list list;
        char err[128] = "";
        cr_expect_eq(vg_cuda_arch_list_parse(bad[i], &list, err, sizeof(err)),
                     VG_ERR_INVALID_ARGUMENT, "'%s' was accepted", bad[i]);
        cr_expect(err[0] != '\0', "'%s': no message", bad[i]);
    }

    vg_cuda_arch_list list;
    char err[128] = "";
    cr_assert_eq(
        vg_cuda_arch_list_parse("sm_80 bogus", &list, err, sizeof(err)),
        VG_ERR_INVALID_ARGUMENT);
    cr_expect(strstr(err, "'bogus'") != NULL, "%s", err);

    cr_assert_eq(vg_cuda_arch_list_parse(FULL_DEFAULT, &list, err, sizeof(err)),
                 0, "%s", err);
    cr_expect_eq(list.count, 13);
    cr_expect_eq(list.images[0].kind, VG_CUDA_SASS);
    cr_expect_eq(list.images[0].cc, 75);
    cr_expect_eq(list.images[11].cc, 121);
    cr_expect_eq(list.images[12].kind, VG_CUDA_PTX);
    cr_expect_eq(list.images[12].cc, 75);
}

Test(cuda_arch_decision, compute_capability_parse)
{
    static const struct {
        const char *text;
        int cc;
    } good[] = {
        {"7.5", 75}, {"8.0", 80}, {"8.9", 89}, {"12.0", 120}, {"12.1", 121}};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        int cc = -1;
        cr_expect_eq(vg_cuda_cc_parse(good[i].text, &cc), 0, "'%s'",
                     good[i].text);
        cr_expect_eq(cc, good[i].cc, "'%s' -> %d", good[i].text, cc);
    }
    static const char *const bad[] = {"",      "7",     "7.",  ".5",
                                      "7.5.1", "7.10",  "x.5", "7,5",
                                      "0.5",   "123.0", " 7.5"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int cc = -1;
        cr_expect_eq(vg_cuda_cc_parse(bad[i], &cc), VG_ERR_INVALID_ARGUMENT,
                     "'%s' was accepted", bad[i]);
    }
}

Test(cuda_arch_decision, generation_names)
{
    cr_expect_str_eq(vg_cuda_generation(61), "Pascal");
    cr_expect_str_eq(vg_cuda_generation(70), "Volta");
    cr_expect_str_eq(vg_cuda_generation(75), "Turing");
    cr_expect_str_eq(vg_cuda_generation(86), "Ampere");
    cr_expect_str_eq(vg_cuda_generation(89), "Ada Lovelace");
    cr_expect_str_eq(vg_cuda_generation(90), "Hopper");
    cr_expect_str_eq(vg_cuda_generation(120), "Blackwell");
    cr_expect_str_eq(vg_cuda_generation(200), "unknown");
}

/* The longest reason the decision can give: a device with no image among
 * a full list of the longest image names.  It must arrive whole, the last
 * image and the advice included (it was once cut mid-word at 256 bytes). */
Test(cuda_arch_decision, longest_reason_is_whole)
{
    char built_text[VG_CUDA_MAX_IMAGES * 16] = "";
    size_t used = 0;
    for (int i = 0; i < VG_CUDA_MAX_IMAGES; i++)
        used += (size_t)snprintf(built_text + used, sizeof built_text - used,
                                 "%ssm_%d%c", i ? " " : "", 100 + i / 2,
                                 i % 2 ? 'f' : 'a');
    vg_cuda_arch_list built;
    char err[128] = "";
    cr_assert_eq(vg_cuda_arch_list_parse(built_text, &built, err, sizeof(err)),
                 0, "%s", err);
    cr_assert_eq(built.count, VG_CUDA_MAX_IMAGES);

    vg_cuda_decision d;
    vg_cuda_decide(75, &built, 75, CUDA13, &d);
    cr_assert_eq(d.verdict, VG_CUDA_NO_IMAGE, "%s", d.text);
    size_t len = strlen(d.text);
    cr_assert_lt(len + 1, sizeof(d.text), "the text filled its buffer: cut");
    cr_expect(strstr(d.text, "/115f (no PTX to JIT)") != NULL, "%s", d.text);
    cr_expect(len > VG_TEXT_MAX, "not longer than the old limit (%zu)", len);
    const char *tail = "(or the default list)";
    cr_assert_str_eq(d.text + len - strlen(tail), tail, "%s", d.text);
}

/* Every generation, against every build that matters: the text is never
 * cut, and the advice is possible with the toolkit that built the plugin. */
Test(cuda_arch_decision, every_generation_gets_whole_and_possible_advice)
{
    static const int ccs[] = {30, 32,  35,  37,  50,  52,  53,  60, 61,
                              62, 70,  72,  75,  80,  86,  87,  88, 89,
                              90, 100, 103, 110, 120, 121, 130, 140};
    static const char *const builds[] = {FULL_DEFAULT, "sm_80", "compute_75",
                                         "sm_90a compute_90a"};
    static const int minimums[] = {75, 30};
    for (size_t b = 0; b < sizeof(builds) / sizeof(builds[0]); b++) {
        vg_cuda_arch_list built;
        char err[128];
        cr_assert_eq(
            vg_cuda_arch_list_parse(builds[b], &built, err, sizeof(err)), 0);
        for (size_t m = 0; m < 2; m++) {
            for (size_t i = 0; i < sizeof(ccs) / sizeof(ccs[0]); i++) {
                int cc = ccs[i];
                vg_cuda_decision d;
                vg_cuda_decide(cc, &built, minimums[m], CUDA13, &d);
                cr_expect_lt(strlen(d.text), sizeof(d.text) - 1,
                             "[%s] cc %d: cut: '%s'", builds[b], cc, d.text);
                if (vg_cuda_decision_usable(&d))
                    continue;
                char flag[64];
                snprintf(flag, sizeof(flag),
                         "-DCMAKE_CUDA_ARCHITECTURES=%d-real", cc);
                if (cc < 35)
                    cr_expect(strstr(d.text, "no CUDA toolkit that builds "
                                             "vg (11.0 or newer) supports") &&
                                  !strstr(d.text, flag),
                              "[%s] cc %d: %s", builds[b], cc, d.text);
                else if (cc < 75)
                    /* CUDA 13 cannot build it: the toolkit that can. */
                    cr_expect(strstr(d.text, cc < 50 ? "CUDA 11.8"
                                                     : "CUDA "
                                                       "12.9") &&
                                  strstr(d.text, flag) &&
                                  strstr(d.text, "vg uses opencl or cpu"),
                              "[%s] cc %d: %s", builds[b], cc, d.text);
                else if (cc > 121)
                    /* No toolkit builds SASS for it: PTX and a driver. */
                    cr_expect(strstr(d.text, "driver that supports") &&
                                  !strstr(d.text, flag),
                              "[%s] cc %d: %s", builds[b], cc, d.text);
                else if (d.verdict == VG_CUDA_NO_IMAGE)
                    cr_expect(strstr(d.text, flag), "[%s] cc %d: %s", builds[b],
                              cc, d.text);
            }
        }
    }
}

Test(cuda_arch_decision, advice_texts_in_full)
{
    vg_cuda_arch_list built;
    char err[128];
    vg_cuda_decision d;
    cr_assert_eq(
        vg_cuda_arch_list_parse(FULL_DEFAULT, &built, err, sizeof(err)), 0);
    vg_cuda_decide(61, &built, 75, CUDA13, &d);
    cr_expect_str_eq(d.text,
                     "compute capability 6.1 (Pascal) is below "
                     "cuda.min_compute_capability 7.5: CUDA 13 cannot build "
                     "for 6.1: vg uses opencl or cpu; for CUDA, build with "
                     "CUDA 12.9, -DCMAKE_CUDA_ARCHITECTURES=61-real and "
                     "min_compute_capability \"6.1\"");
    vg_cuda_decide(75, &built, 80, CUDA13, &d);
    cr_expect_str_eq(d.text, "compute capability 7.5 (Turing) is below "
                             "cuda.min_compute_capability 8.0: lower it to "
                             "7.5 to use this GPU; meanwhile vg uses opencl "
                             "or cpu");
    vg_cuda_decide(130, &built, 75, CUDA13, &d);
    cr_expect_str_eq(d.text,
                     "compute capability 13.0 (unknown) has no SASS in this "
                     "build: will JIT from compute_75, first run slower (the "
                     "driver caches the result); needs a driver that "
                     "supports this GPU");
    cr_assert_eq(vg_cuda_arch_list_parse("sm_80", &built, err, sizeof(err)), 0);
    vg_cuda_decide(130, &built, 75, CUDA13, &d);
    cr_expect_str_eq(d.text,
                     "no kernel image for compute capability 13.0 (unknown): "
                     "built for sm_80 (no PTX to JIT); CUDA 13.0 has no SASS "
                     "for 13.0: build with PTX (the default list carries it) "
                     "for the driver to JIT, and use a driver that supports "
                     "13.0");
    cr_assert_eq(
        vg_cuda_arch_list_parse(FULL_DEFAULT, &built, err, sizeof(err)), 0);
    vg_cuda_decide(30, &built, 30, CUDA13, &d);
    cr_expect_str_eq(
        d.text,
        "no kernel image for compute capability 3.0 (Kepler), "
        "and PTX never JITs backwards: no CUDA toolkit that builds vg (11.0 or "
        "newer) supports 3.0: vg uses opencl or cpu");
    vg_cuda_decide(90, &built, 75, CUDA13, &d);
    cr_assert_eq(vg_cuda_arch_list_parse("sm_80", &built, err, sizeof(err)), 0);
    vg_cuda_decide(90, &built, 75, CUDA13, &d);
    cr_expect_str_eq(d.text, "no kernel image for compute capability 9.0 "
                             "(Hopper): built for sm_80 (no PTX to JIT); "
                             "rebuild with -DCMAKE_CUDA_ARCHITECTURES=90-real "
                             "(or the default list)");
}
