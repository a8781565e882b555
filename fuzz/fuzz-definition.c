/* fuzz-definition.c — the call definition loader on arbitrary bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "sb-call.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SbCall) call = sb_call_new_from_bytes (bytes, "fuzz.json", &error);

  /* exactly one of a call and an error */
  g_assert_true ((call == NULL) != (error == NULL));
  return 0;
}
