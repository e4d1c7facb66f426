/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types for kxen's pure-logic files: code that touches no hardware and no kernel
 * service, so that the very same .c builds into kxen.ko and into a Check unit test.
 */
#ifndef KXEN_TYPES_H
#define KXEN_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
#include <stddef.h>
#define BIT(n) (1UL << (n))
#endif

#endif
