/* tap.h: a minimal Test Anything Protocol emitter for the unit tests.
 *
 *   ok(cond, "name %d", i);     one test point
 *   is_str(got, want, "name");  string equality, shows both on failure
 *   is_int(got, want, "name");  integer equality
 *   skip_all("reason");         the whole program is skipped
 *   rm_rf(dir);                 remove a temporary folder and its files
 *   return done_testing();      prints the plan; exit status 0 or 1
 *
 * Header-only: each test program includes it once.
 */
#ifndef CM_TAP_H
#define CM_TAP_H

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n;
static int tap_failed;

__attribute__((format(printf, 2, 3), unused)) static int
ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tap_n++;
    printf("%s %d - ", cond ? "ok" : "not ok", tap_n);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!cond)
        tap_failed++;
    fflush(stdout);
    return cond;
}

__attribute__((unused)) static int
is_str(const char *got, const char *want, const char *name)
{
    int same = (got == NULL && want == NULL) ||
               (got != NULL && want != NULL && strcmp(got, want) == 0);
    ok(same, "%s", name);
    if (!same)
        printf("#   got:  '%s'\n#   want: '%s'\n", got ? got : "(null)",
               want ? want : "(null)");
    return same;
}

__attribute__((unused)) static int
is_int(long long got, long long want, const char *name)
{
    ok(got == want, "%s", name);
    if (got != want)
        printf("#   got:  %lld\n#   want: %lld\n", got, want);
    return got == want;
}

__attribute__((format(printf, 1, 2), unused)) static void
diag(const char *fmt, ...)
{
    va_list ap;
    printf("# ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
}

static int
tap_rm_entry(const char *p, const struct stat *sb, int flag,
             struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

/* Remove the folder p and everything in it, without following symbolic
 * links; a failure is a diagnostic, not a failed test. */
__attribute__((unused)) static void
rm_rf(const char *p)
{
    if (nftw(p, tap_rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 &&
        errno != ENOENT)
        diag("could not remove %s", p);
}

__attribute__((noreturn, unused)) static void
skip_all(const char *why)
{
    printf("1..0 # SKIP %s\n", why);
    exit(0);
}

__attribute__((unused)) static int
done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
