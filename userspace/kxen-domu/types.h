/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's short type names, for the builder's pure-logic files. */
#ifndef KXEN_DOMU_TYPES_H
#define KXEN_DOMU_TYPES_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define BIT(n)		(1UL << (n))
#define __packed	__attribute__((packed))
#define __noreturn	__attribute__((noreturn))

#endif
