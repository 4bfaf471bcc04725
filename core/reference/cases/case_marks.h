/*
 * case_marks.h - one-letter names for the checks a case row is marked
 * with, so a cases table reads as a table (core/reference/cases/<kernel>.c
 * only; vg_kernel_cases.h has the full names).
 */
#ifndef VG_CASE_MARKS_H
#define VG_CASE_MARKS_H

#include "vg_kernel_cases.h"

#define S VG_CASE_SELFTEST
#define C VG_CASE_CONFORMANCE
#define A VG_CASE_CHECKASM
#define B VG_CASE_BENCH
#define L VG_CASE_CHECKASM_LARGE

#endif /* VG_CASE_MARKS_H */
