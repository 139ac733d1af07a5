// The preprocessor helpers behind RELATA_MODEL: counting and iterating over a macro's
// arguments, and splitting a (type, name) field whose type may hold commas.
//
// Plain variadic macros rather than Boost.Preprocessor: its general sequence and tuple
// algorithms cost about 35 ms of preprocessing per model; these cost a few.
#pragma once

// clang-format off

#define RELATA_DETAIL_CAT(a, b) RELATA_DETAIL_CAT_I(a, b)
#define RELATA_DETAIL_CAT_I(a, b) a##b
#define RELATA_DETAIL_STRINGIZE(x) RELATA_DETAIL_STRINGIZE_I(x)
#define RELATA_DETAIL_STRINGIZE_I(x) #x

// The number of arguments, 1 to 64.
#define RELATA_DETAIL_COUNT(...) \
  RELATA_DETAIL_COUNT_I(__VA_ARGS__, 64, 63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, \
     49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, \
     26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, \
     1, )
#define RELATA_DETAIL_COUNT_I(_1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15,  \
    _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, _33,  \
    _34, _35, _36, _37, _38, _39, _40, _41, _42, _43, _44, _45, _46, _47, _48, _49, _50, _51,  \
    _52, _53, _54, _55, _56, _57, _58, _59, _60, _61, _62, _63, _64, count, ...) count

// m(data, field) for each field (1 to 64).
#define RELATA_DETAIL_FOR_EACH(m, data, ...)                                        \
  RELATA_DETAIL_CAT(RELATA_DETAIL_FOR_EACH_, RELATA_DETAIL_COUNT(__VA_ARGS__)) \
  (m, data, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_1(m, d, f) m(d, f)
#define RELATA_DETAIL_FOR_EACH_2(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_1(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_3(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_2(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_4(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_3(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_5(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_4(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_6(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_5(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_7(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_6(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_8(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_7(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_9(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_8(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_10(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_9(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_11(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_10(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_12(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_11(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_13(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_12(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_14(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_13(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_15(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_14(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_16(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_15(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_17(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_16(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_18(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_17(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_19(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_18(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_20(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_19(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_21(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_20(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_22(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_21(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_23(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_22(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_24(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_23(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_25(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_24(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_26(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_25(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_27(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_26(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_28(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_27(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_29(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_28(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_30(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_29(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_31(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_30(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_32(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_31(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_33(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_32(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_34(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_33(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_35(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_34(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_36(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_35(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_37(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_36(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_38(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_37(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_39(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_38(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_40(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_39(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_41(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_40(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_42(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_41(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_43(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_42(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_44(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_43(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_45(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_44(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_46(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_45(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_47(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_46(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_48(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_47(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_49(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_48(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_50(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_49(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_51(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_50(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_52(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_51(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_53(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_52(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_54(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_53(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_55(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_54(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_56(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_55(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_57(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_56(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_58(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_57(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_59(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_58(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_60(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_59(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_61(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_60(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_62(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_61(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_63(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_62(m, d, __VA_ARGS__)
#define RELATA_DETAIL_FOR_EACH_64(m, d, f, ...) m(d, f) RELATA_DETAIL_FOR_EACH_63(m, d, __VA_ARGS__)

// A field is (type, name); the type may hold commas (up to 14).
#define RELATA_DETAIL_NAME(field) \
  RELATA_DETAIL_CAT(RELATA_DETAIL_NAME_, RELATA_DETAIL_COUNT field) field
#define RELATA_DETAIL_TYPE(field) \
  RELATA_DETAIL_CAT(RELATA_DETAIL_TYPE_, RELATA_DETAIL_COUNT field) field
#define RELATA_DETAIL_NAME_1(a1) a1
#define RELATA_DETAIL_TYPE_1(a1) \
  static_assert(false, "relata: each RELATA_MODEL field is (type, name)"); int
#define RELATA_DETAIL_NAME_2(a1, a2) a2
#define RELATA_DETAIL_TYPE_2(a1, a2) a1
#define RELATA_DETAIL_NAME_3(a1, a2, a3) a3
#define RELATA_DETAIL_TYPE_3(a1, a2, a3) a1, a2
#define RELATA_DETAIL_NAME_4(a1, a2, a3, a4) a4
#define RELATA_DETAIL_TYPE_4(a1, a2, a3, a4) a1, a2, a3
#define RELATA_DETAIL_NAME_5(a1, a2, a3, a4, a5) a5
#define RELATA_DETAIL_TYPE_5(a1, a2, a3, a4, a5) a1, a2, a3, a4
#define RELATA_DETAIL_NAME_6(a1, a2, a3, a4, a5, a6) a6
#define RELATA_DETAIL_TYPE_6(a1, a2, a3, a4, a5, a6) a1, a2, a3, a4, a5
#define RELATA_DETAIL_NAME_7(a1, a2, a3, a4, a5, a6, a7) a7
#define RELATA_DETAIL_TYPE_7(a1, a2, a3, a4, a5, a6, a7) a1, a2, a3, a4, a5, a6
#define RELATA_DETAIL_NAME_8(a1, a2, a3, a4, a5, a6, a7, a8) a8
#define RELATA_DETAIL_TYPE_8(a1, a2, a3, a4, a5, a6, a7, a8) a1, a2, a3, a4, a5, a6, a7
#define RELATA_DETAIL_NAME_9(a1, a2, a3, a4, a5, a6, a7, a8, a9) a9
#define RELATA_DETAIL_TYPE_9(a1, a2, a3, a4, a5, a6, a7, a8, a9) a1, a2, a3, a4, a5, a6, a7, a8
#define RELATA_DETAIL_NAME_10(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) a10
#define RELATA_DETAIL_TYPE_10(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9
#define RELATA_DETAIL_NAME_11(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) a11
#define RELATA_DETAIL_TYPE_11(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9, a10
#define RELATA_DETAIL_NAME_12(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) a12
#define RELATA_DETAIL_TYPE_12(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11
#define RELATA_DETAIL_NAME_13(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) a13
#define RELATA_DETAIL_TYPE_13(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12
#define RELATA_DETAIL_NAME_14(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) a14
#define RELATA_DETAIL_TYPE_14(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13
#define RELATA_DETAIL_NAME_15(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) a15
#define RELATA_DETAIL_TYPE_15(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14
#define RELATA_DETAIL_NAME_16(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16) a16
#define RELATA_DETAIL_TYPE_16(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16) \
  a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15

// clang-format on
