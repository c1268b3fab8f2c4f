/*
 * test_classad.c - the ClassAd module: parse/print round trips against
 * HTCondor's unparser rules, precedence, escapes, numbers, bounds, bad
 * input with positions, safe display, JSON, and the wire framing (hand
 * built byte buffers and every ad in the recorded real vectors).
 */
#include "check.h"
#include "classad.h"
#include "classad_int.h" /* to inspect tree shapes for precedence tests */

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static unsigned char arena[CLASSAD_ARENA_BYTES];
static unsigned char big_arena[4 * 1024 * 1024];
static char out[1 << 20];
static char msg[2048];

/* ---- helpers ---------------------------------------------------------------- */

static const char *print_ad(const struct classad *ad, enum classad_form f, unsigned flags)
{
	struct classad_sink s;
	struct classad_buf b;
	struct err e = { 0 };

	err_clear(&e);
	classad_sink_buf(&s, &b, out, sizeof out);
	if (classad_print(ad, f, flags, &s, &e) != 0)
		return "<print failed>";
	return out;
}

static const char *print_val(const struct classad *ad, const char *name, enum classad_form f,
                             unsigned flags)
{
	struct classad_sink s;
	struct classad_buf b;
	struct err e = { 0 };

	err_clear(&e);
	classad_sink_buf(&s, &b, out, sizeof out);
	if (classad_print_value(ad, name, f, flags, &s, &e) != 0)
		return "<print failed>";
	return out;
}

/* Parse expr as the value of X; return its old-syntax unparse. */
static const char *rt(const char *expr)
{
	static struct classad ad;
	struct err e = { 0 };

	err_clear(&e);
	classad_init(&ad, arena, sizeof arena);
	if (classad_set_expr(&ad, "X", expr, &e) != 0) {
		snprintf(msg, sizeof msg, "<error %s>", err_text(&e, out, sizeof out));
		return msg;
	}
	return print_val(&ad, "X", CLASSAD_FORM_OLD, 0);
}

static const char *rt_new(const char *expr)
{
	static struct classad ad;
	struct err e = { 0 };

	err_clear(&e);
	classad_init(&ad, arena, sizeof arena);
	if (classad_set_expr(&ad, "X", expr, &e) != 0)
		return "<error>";
	return print_val(&ad, "X", CLASSAD_FORM_NEW, 0);
}

/* Parse must fail; returns the error text. */
static const char *perr(const char *expr)
{
	static struct classad ad;
	struct err e = { 0 };

	err_clear(&e);
	classad_init(&ad, arena, sizeof arena);
	if (classad_set_expr(&ad, "X", expr, &e) == 0)
		return "<parsed>";
	err_text(&e, msg, sizeof msg);
	/* a failed parse leaves the ad untouched */
	if (classad_count(&ad) != 0 || ad.used != 0)
		return "<ad modified>";
	return msg;
}

static int contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

/* Fully parenthesised shape of node i, for precedence checks. */
static void shape_rec(struct cview v, uint32_t i, char *buf, size_t cap)
{
	static const char *const ops[OP_COUNT] = {
		[OP_PAREN] = "()", [OP_UPLUS] = "u+", [OP_UMINUS] = "u-", [OP_NOT] = "!",
		[OP_BITNOT] = "~", [OP_OR] = "||", [OP_AND] = "&&", [OP_BITOR] = "|",
		[OP_BITXOR] = "^", [OP_BITAND] = "&", [OP_EQ] = "==", [OP_NE] = "!=",
		[OP_META_EQ] = "=?=", [OP_META_NE] = "=!=", [OP_LT] = "<", [OP_LE] = "<=",
		[OP_GT] = ">", [OP_GE] = ">=", [OP_SHL] = "<<", [OP_SHR] = ">>", [OP_USHR] = ">>>",
		[OP_ADD] = "+", [OP_SUB] = "-", [OP_MUL] = "*", [OP_DIV] = "/", [OP_MOD] = "%",
		[OP_TERNARY] = "?", [OP_ELVIS] = "?:", [OP_SUBSCRIPT] = "[]"
	};
	const struct cnode *n = &v.n[i];
	size_t l = strlen(buf);

	if (n->kind == CN_OP) {
		snprintf(buf + l, cap - l, "(%s ", ops[n->op]);
		shape_rec(v, n->u.k.a, buf, cap);
		if (n->u.k.b != CNONE) {
			strncat(buf, " ", cap - strlen(buf) - 1);
			shape_rec(v, n->u.k.b, buf, cap);
		}
		if (n->c != CNONE) {
			strncat(buf, " ", cap - strlen(buf) - 1);
			shape_rec(v, n->c, buf, cap);
		}
		strncat(buf, ")", cap - strlen(buf) - 1);
	} else if (n->kind == CN_REF) {
		if (n->c != CNONE) {
			strncat(buf, "(. ", cap - l - 1);
			shape_rec(v, n->c, buf, cap);
			l = strlen(buf);
			snprintf(buf + l, cap - l, " %.*s)", (int)n->u.k.b, v.text + n->u.k.a);
		} else {
			snprintf(buf + l, cap - l, "%.*s", (int)n->u.k.b, v.text + n->u.k.a);
		}
	} else if (n->kind == CN_INT) {
		snprintf(buf + l, cap - l, "%lld", (long long)n->u.i);
	} else {
		strncat(buf, "?", cap - l - 1);
	}
}

static const char *shape(const char *expr)
{
	static struct classad ad;
	static char buf[512];
	struct err e = { 0 };
	const struct classad_attr *a;

	classad_init(&ad, arena, sizeof arena);
	if (classad_set_expr(&ad, "X", expr, &e) != 0)
		return "<error>";
	a = &cad_table(&ad)[0];
	buf[0] = '\0';
	shape_rec(cad_view(&ad, a), a->root, buf, sizeof buf);
	return buf;
}

/* ---- expression round trips -------------------------------------------------- */

static void test_literals(void)
{
	CHECK_STR(rt("1"), "1");
	CHECK_STR(rt("-1"), "-1");
	CHECK_STR(rt("- 1"), " -1");
	CHECK_STR(rt("0"), "0");
	CHECK_STR(rt("-0"), "0");
	CHECK_STR(rt("9223372036854775807"), "9223372036854775807");
	CHECK_STR(rt("-9223372036854775808"), "-9223372036854775808");
	CHECK_STR(rt("TRUE"), "true");
	CHECK_STR(rt("False"), "false");
	CHECK_STR(rt("UNDEFINED"), "undefined");
	CHECK_STR(rt("Error"), "error");
	/* reals: %.16G, ".0" appended when it looks like an integer */
	CHECK_STR(rt("3.0"), "3.0");
	CHECK_STR(rt("0.1"), "0.1");
	CHECK_STR(rt("1.5"), "1.5");
	CHECK_STR(rt("1e20"), "1E+20");
	CHECK_STR(rt("1e-5"), "1E-05");
	CHECK_STR(rt("1E3"), "1000.0");
	CHECK_STR(rt(".5"), "0.5");
	CHECK_STR(rt("-.5"), "-0.5");
	CHECK_STR(rt("0.0"), "0.0");
	CHECK_STR(rt("-0.0"), "-0.0");
	CHECK_STR(rt("123456789.123456789"), "123456789.1234568");
	CHECK_STR(rt("1e400"), "real(\"INF\")");
	CHECK_STR(rt("-1e400"), "real(\"-INF\")");
	CHECK_STR(rt("real(\"NaN\")"), "real(\"NaN\")");
	CHECK_STR(rt_new("1.5"), "1.500000000000000E+00");
	CHECK_STR(rt_new("0.0"), "0.0");
}

static void test_strings(void)
{
	/* Old syntax: only backslash-quote is an escape, and not at the end. */
	CHECK_STR(rt("\"abc\""), "\"abc\"");
	CHECK_STR(rt("\"\""), "\"\"");
	CHECK_STR(rt("\"a\\\"b\""), "\"a\\\"b\"");
	CHECK_STR(rt("\"a\\nb\\\\c\""), "\"a\\nb\\\\c\"");
	CHECK_STR(rt("\"ends with backslash\\\""), "\"ends with backslash\\\"");
	CHECK_STR(rt("\"a\\\"\""), "\"a\\\"\"");
	/* raw bytes pass through */
	CHECK_STR(rt("\"tab\there \xc3\xbc\""), "\"tab\there \xc3\xbc\"");
	/* the V7a requested identity */
	CHECK_STR(rt("\"q\\\"uo\\te \xc3\xbc@refpool.local\""), "\"q\\\"uo\\te \xc3\xbc@refpool.local\"");
	/* value check through the accessor */
	{
		struct classad ad;
		struct err e = { 0 };
		char buf[64];
		size_t n;
		classad_init(&ad, arena, sizeof arena);
		CHECK_INT(classad_set_expr(&ad, "S", "\"q\\\"uo\\te\"", &e), 0);
		CHECK_INT(classad_get_string(&ad, "s", buf, sizeof buf, &n), 0);
		CHECK_STR(buf, "q\"uo\\te");
		CHECK_INT(n, 7);
		CHECK_INT(classad_get_string(&ad, "S", buf, 7, &n), CLASSAD_ETOOBIG);
		CHECK_INT(n, 7);
		CHECK_INT(classad_get_string(&ad, "S", buf, 8, NULL), 0);
		CHECK_INT(classad_set_expr(&ad, "T", "\"x\\\"", &e), 0);
		CHECK_INT(classad_get_string(&ad, "T", buf, sizeof buf, NULL), 0);
		CHECK_STR(buf, "x\\");
	}
	/* new syntax unparse: C escapes and octal */
	CHECK_STR(rt_new("\"a\\\"b\\\\c\ttab\xc3\xbc\""), "\"a\\\"b\\\\\\\\c\\ttab\\303\\274\"");
	/* quoted names */
	CHECK_STR(rt("'odd name'"), "'odd name'");
	CHECK_STR(rt("'true'"), "'true'");
	CHECK_STR(rt("'Plain_1'"), "Plain_1");
	CHECK_STR(rt("'it\\'s'"), "'it\\'s'");
	CHECK_STR(rt("x.'y z'"), "x.y z");
}

static void test_exprs(void)
{
	CHECK_STR(rt("a - 1"), "a - 1");
	CHECK_STR(rt("a -1"), "a - 1");
	CHECK_STR(rt("a*-1"), "a * -1");
	CHECK_STR(rt("a  &&b||  c"), "a && b || c");
	CHECK_STR(rt("((Name == \"refschedd@vm\"))"), "((Name == \"refschedd@vm\"))");
	CHECK_STR(rt("MY.Foo =?= TARGET.bar"), "MY.Foo =?= TARGET.bar");
	CHECK_STR(rt("x is y"), "x =?= y");
	CHECK_STR(rt("x isnt y"), "x =!= y");
	CHECK_STR(rt("x =!= y"), "x =!= y");
	CHECK_STR(rt_new("x =?= y"), "x is y");
	CHECK_STR(rt_new("x =!= y"), "x isnt y");
	CHECK_STR(rt(".abs"), ".abs");
	CHECK_STR(rt("!a"), " !a");
	CHECK_STR(rt("~a"), " ~a");
	CHECK_STR(rt("+a"), " +a");
	CHECK_STR(rt("-a"), " -a");
	CHECK_STR(rt("!!a"), " ! !a");
	CHECK_STR(rt("a ? b : c"), "a ? b : c");
	CHECK_STR(rt("a?:b"), "a ?: b");
	CHECK_STR(rt("a ? : b"), "a ?: b");
	CHECK_STR(rt("a[1]"), "a[1]");
	CHECK_STR(rt("a.b.c"), "a.b.c");
	CHECK_STR(rt("a >>> 2 << 1 >> 3"), "a >>> 2 << 1 >> 3");
	CHECK_STR(rt("a & b | c ^ d"), "a & b | c ^ d");
	CHECK_STR(rt("a<b && c<=d && e>f && g>=h && i!=j"), "a < b && c <= d && e > f && g >= h && i != j");
	CHECK_STR(rt("a%b/c*d"), "a % b / c * d");
	CHECK_STR(rt("f()"), "f()");
	CHECK_STR(rt("strcat(\"a\", b , 1)"), "strcat(\"a\",b,1)");
	CHECK_STR(rt("f(a; b)"), "f(a,b)");
	CHECK_STR(rt("f(a,)"), "f(a)");
	CHECK_STR(rt("{1, 2,\"x\"}"), "{ 1,2,\"x\" }");
	CHECK_STR(rt("{}"), "{  }");
	CHECK_STR(rt("{1,}"), "{ 1 }");
	CHECK_STR(rt("[ b = 1; a = 2 ]"), "[ a = 2; b = 1 ]");
	CHECK_STR(rt("[a=1;;b=2;]"), "[ a = 1; b = 2 ]");
	CHECK_STR(rt("[ zz = 1; B = 2; b = 3 ]"), "[ B = 3; zz = 1 ]");
	CHECK_STR(rt("[]"), "[  ]");
	CHECK_STR(rt("[ 'a b' = {1,[c=\"x\"]} ]"), "[ 'a b' = { 1,[ c = \"x\" ] } ]");
	CHECK_STR(rt("1 /* c */ + 2 // x"), "1 + 2");
	CHECK_STR(rt("  \t42  \n"), "42");
	/* the AddressV1 value from the schedd ad (V5) is a plain string */
	CHECK_STR(rt("\"{[ p=\\\"primary\\\"; a=\\\"127.0.0.1\\\"; port=9620; ], [ p=\\\"IPv4\\\" ]}\""),
	          "\"{[ p=\\\"primary\\\"; a=\\\"127.0.0.1\\\"; port=9620; ], [ p=\\\"IPv4\\\" ]}\"");
}

static void test_precedence(void)
{
	CHECK_STR(shape("a || b && c"), "(|| a (&& b c))");
	CHECK_STR(shape("a && b || c"), "(|| (&& a b) c)");
	CHECK_STR(shape("a | b ^ c & d"), "(| a (^ b (& c d)))");
	CHECK_STR(shape("a & b == c"), "(& a (== b c))");
	CHECK_STR(shape("a == b < c"), "(== a (< b c))");
	CHECK_STR(shape("a < b << c"), "(< a (<< b c))");
	CHECK_STR(shape("a << b + c"), "(<< a (+ b c))");
	CHECK_STR(shape("a + b * c"), "(+ a (* b c))");
	CHECK_STR(shape("a - b - c"), "(- (- a b) c)");
	CHECK_STR(shape("a * -b"), "(* a (u- b))");
	CHECK_STR(shape("-a.b"), "(u- (. a b))");
	CHECK_STR(shape("!a[1]"), "(! ([] a 1))");
	CHECK_STR(shape("a ? b : c ? d : e"), "(? a b (? c d e))");
	CHECK_STR(shape("a || b ? c : d"), "(? (|| a b) c d)");
	CHECK_STR(shape("a ?: b ?: c"), "(?: a (?: b c))"); /* as HTCondor: right operand is a postfix */
	CHECK_STR(shape("x == 1 ?: 2"), "(== x (?: 1 2))");
	CHECK_STR(shape("(a + b) * c"), "(* (() (+ a b)) c)");
	CHECK_STR(shape("a =?= b != c"), "(!= (=?= a b) c)");
	CHECK_STR(shape("MY.x"), "(. MY x)");
}

static void test_errors(void)
{
	static char big[CLASSAD_MAX_EXPR_LEN + 64];
	const char *m;
	size_t i;

	m = perr("\"abc");
	CHECK(contains(m, "offset 0") && contains(m, "unterminated string"));
	m = perr("1 +");
	CHECK(contains(m, "offset 3") && contains(m, "expected an expression"));
	m = perr("a b");
	CHECK(contains(m, "offset 2") && contains(m, "end of expression"));
	m = perr("0123");
	CHECK(contains(m, "leading 0"));
	m = perr("0x1F");
	CHECK(contains(m, "leading 0"));
	m = perr("019");
	CHECK(contains(m, "leading 0"));
	m = perr("99999999999999999999");
	CHECK(contains(m, "64 bits"));
	m = perr("-9223372036854775809");
	CHECK(contains(m, "64 bits"));
	m = perr("1.");
	CHECK(contains(m, "after '.'"));
	m = perr("1e+");
	CHECK(contains(m, "exponent"));
	m = perr("x = 1");
	CHECK(contains(m, "offset 2"));
	m = perr("a =? b");
	CHECK(contains(m, "'=?'"));
	m = perr("(1");
	CHECK(contains(m, "expected ')'"));
	m = perr("{1 2}");
	CHECK(contains(m, "offset 3") && contains(m, "',' or '}'"));
	m = perr("f(1 2)");
	CHECK(contains(m, "',' or ')'"));
	m = perr("[ a = 1 b = 2 ]");
	CHECK(contains(m, "';' or ']'"));
	m = perr("[ 1 = 2 ]");
	CHECK(contains(m, "attribute name"));
	m = perr("a ? b");
	CHECK(contains(m, "':'"));
	m = perr("a.1");
	CHECK(contains(m, "parsed") == 0);
	m = perr("\x1b[31m");
	CHECK(contains(m, "offset 0") && contains(m, "0x1b"));
	m = perr("/* open");
	CHECK(contains(m, "unterminated /* comment"));
	m = perr("");
	CHECK(contains(m, "expected an expression"));
	m = perr("@");
	CHECK(contains(m, "0x40"));
	/* error text never contains the raw bad byte */
	m = perr("a \x07");
	CHECK(strchr(m, '\x07') == NULL);

	/* depth: nested parentheses and a long operator chain */
	for (i = 0; i < 600; i++)
		big[i] = '(';
	big[i++] = '1';
	for (; i < 1201; i++)
		big[i] = ')';
	big[i] = '\0';
	m = perr(big);
	CHECK(contains(m, "CLASSAD_MAX_DEPTH"));
	for (i = 0; i < 600; i++)
		big[i] = '-';
	big[i++] = 'a';
	big[i] = '\0';
	CHECK(contains(perr(big), "CLASSAD_MAX_DEPTH"));
	for (i = 0; i < 1200; i += 2) {
		big[i] = 'a';
		big[i + 1] = '+';
	}
	big[i] = 'a';
	big[i + 1] = '\0';
	CHECK(contains(perr(big), "CLASSAD_MAX_DEPTH"));
	/* 100 nested parentheses are fine */
	for (i = 0; i < 100; i++)
		big[i] = '(';
	big[i++] = '7';
	for (; i < 201; i++)
		big[i] = ')';
	big[i] = '\0';
	CHECK(strncmp(rt(big), "((((", 4) == 0);

	/* string, name, number and expression length bounds */
	big[0] = '"';
	memset(big + 1, 'x', CLASSAD_MAX_STRING_LEN + 1);
	big[CLASSAD_MAX_STRING_LEN + 2] = '"';
	big[CLASSAD_MAX_STRING_LEN + 3] = '\0';
	CHECK(contains(perr(big), "CLASSAD_MAX_STRING_LEN"));
	big[CLASSAD_MAX_STRING_LEN + 1] = '"';
	big[CLASSAD_MAX_STRING_LEN + 2] = '\0';
	CHECK(strlen(rt(big)) == CLASSAD_MAX_STRING_LEN + 2);
	memset(big, 'n', CLASSAD_MAX_NAME_LEN + 1);
	big[CLASSAD_MAX_NAME_LEN + 1] = '\0';
	CHECK(contains(perr(big), "CLASSAD_MAX_NAME_LEN"));
	memset(big, '1', CLASSAD_MAX_NUMBER_LEN + 1);
	big[CLASSAD_MAX_NUMBER_LEN] = '.';
	big[CLASSAD_MAX_NUMBER_LEN + 1] = '5';
	big[CLASSAD_MAX_NUMBER_LEN + 2] = '\0';
	CHECK(contains(perr(big), "CLASSAD_MAX_NUMBER_LEN"));
	memset(big, ' ', CLASSAD_MAX_EXPR_LEN + 1);
	big[0] = '1';
	big[CLASSAD_MAX_EXPR_LEN + 1] = '\0';
	CHECK(contains(perr(big), "CLASSAD_MAX_EXPR_LEN"));
}

static void test_node_bound(void)
{
	static char src[120000];
	struct classad ad;
	struct err e = { 0 };
	size_t i, n = 0;

	/* 20000 list elements > CLASSAD_MAX_NODES, in an arena that could
	 * hold them, so the node bound (not the arena) must trip. */
	src[n++] = '{';
	for (i = 0; i < 20000; i++) {
		src[n++] = '1';
		src[n++] = ',';
	}
	src[n++] = '}';
	src[n] = '\0';
	classad_init(&ad, big_arena, sizeof big_arena);
	err_clear(&e);
	CHECK_INT(classad_set_expr(&ad, "L", src, &e), CLASSAD_EPARSE);
	CHECK(contains(err_text(&e, msg, sizeof msg), "CLASSAD_MAX_NODES"));
	CHECK_INT(classad_count(&ad), 0);
	/* the same list in a small arena: the arena bound */
	classad_init(&ad, arena, CLASSAD_ARENA_SMALL);
	err_clear(&e);
	CHECK(classad_set_expr(&ad, "L", src, &e) != 0);
	CHECK(contains(err_text(&e, msg, sizeof msg), "arena full"));
}

/* ---- the store ---------------------------------------------------------------- */

static void test_store(void)
{
	struct classad ad;
	struct err e = { 0 };
	int64_t i64;
	int b;
	double r;
	char buf[64], name[32];
	unsigned i;
	size_t free0;

	CHECK_INT(classad_init(&ad, arena, 10), CLASSAD_EINVAL);
	/* odd alignment is accepted */
	CHECK_INT(classad_init(&ad, arena + 3, CLASSAD_ARENA_SMALL), 0);
	err_clear(&e);
	CHECK_INT(classad_set_int(&ad, "TokenLifetime", 3600, &e), 0);
	CHECK_INT(classad_get_int(&ad, "tokenlifetime", &i64), 0);
	CHECK_INT(i64, 3600);

	CHECK_INT(classad_init(&ad, arena, sizeof arena), 0);
	free0 = classad_free_bytes(&ad);
	CHECK_INT(classad_set_string(&ad, "AuthenticatedIdentity", "unauthenticated@unmapped", &e), 0);
	CHECK_INT(classad_set_string(&ad, "RequestedIdentity", "condor@example.org", &e), 0);
	CHECK_INT(classad_set_string(&ad, "LimitAuthorization", "ADVERTISE_STARTD", &e), 0);
	CHECK_INT(classad_set_int(&ad, "TokenLifetime", 3600, &e), 0);
	CHECK_INT(classad_set_string(&ad, "PeerLocation", "10.1.2.3", &e), 0);
	CHECK_INT(classad_set_string(&ad, "RequestId", "0412345", &e), 0);
	CHECK_INT(classad_set_string(&ad, "ClientId", "host.example.org-123", &e), 0);
	CHECK_INT(classad_count(&ad), 7);
	/* classad-wire.md 4.5: the exact "Request contents" lines */
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, 0),
	          "ClientId = \"host.example.org-123\"\n"
	          "RequestId = \"0412345\"\n"
	          "PeerLocation = \"10.1.2.3\"\n"
	          "TokenLifetime = 3600\n"
	          "RequestedIdentity = \"condor@example.org\"\n"
	          "LimitAuthorization = \"ADVERTISE_STARTD\"\n"
	          "AuthenticatedIdentity = \"unauthenticated@unmapped\"\n");
	/* 4.6: condor_token_request_list order */
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_LONG, 0),
	          "AuthenticatedIdentity = \"unauthenticated@unmapped\"\n"
	          "ClientId = \"host.example.org-123\"\n"
	          "LimitAuthorization = \"ADVERTISE_STARTD\"\n"
	          "PeerLocation = \"10.1.2.3\"\n"
	          "RequestedIdentity = \"condor@example.org\"\n"
	          "RequestId = \"0412345\"\n"
	          "TokenLifetime = 3600\n");
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_JSON, 0),
	          "{\n"
	          "  \"AuthenticatedIdentity\": \"unauthenticated@unmapped\",\n"
	          "  \"ClientId\": \"host.example.org-123\",\n"
	          "  \"LimitAuthorization\": \"ADVERTISE_STARTD\",\n"
	          "  \"PeerLocation\": \"10.1.2.3\",\n"
	          "  \"RequestedIdentity\": \"condor@example.org\",\n"
	          "  \"RequestId\": \"0412345\",\n"
	          "  \"TokenLifetime\": 3600\n"
	          "}");

	/* replace keeps one entry; case-insensitive; arena reclaimed */
	CHECK_INT(classad_set_int(&ad, "TOKENLIFETIME", 60, &e), 0);
	CHECK_INT(classad_count(&ad), 7);
	CHECK_INT(classad_get_int(&ad, "TokenLifetime", &i64), 0);
	CHECK_INT(i64, 60);
	CHECK_INT(classad_get_string(&ad, "requestid", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "0412345");
	CHECK_INT(classad_get_string(&ad, "ClientId", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "host.example.org-123");
	CHECK_INT(classad_get_string(&ad, "Missing", buf, sizeof buf, NULL), CLASSAD_ENOTFOUND);
	CHECK_INT(classad_get_int(&ad, "ClientId", &i64), CLASSAD_ETYPE);
	CHECK_INT(classad_delete(&ad, "limitauthorization"), 0);
	CHECK_INT(classad_delete(&ad, "LimitAuthorization"), CLASSAD_ENOTFOUND);
	CHECK_INT(classad_count(&ad), 6);
	CHECK_INT(classad_get_string(&ad, "AuthenticatedIdentity", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "unauthenticated@unmapped");
	CHECK_INT(classad_get_string(&ad, "PeerLocation", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "10.1.2.3");
	for (i = 0; i < 50; i++) /* repeated replacement does not leak */
		CHECK_INT(classad_set_string(&ad, "PeerLocation", i % 2 ? "a" : "bbbbbbbbbbbbbbbbbbbbbbbb", &e), 0);
	CHECK_INT(classad_delete(&ad, "PeerLocation"), 0);
	CHECK_INT(classad_delete(&ad, "ClientId"), 0);
	CHECK_INT(classad_delete(&ad, "RequestId"), 0);
	CHECK_INT(classad_delete(&ad, "TokenLifetime"), 0);
	CHECK_INT(classad_delete(&ad, "RequestedIdentity"), 0);
	CHECK_INT(classad_delete(&ad, "AuthenticatedIdentity"), 0);
	CHECK_INT(classad_count(&ad), 0);
	CHECK_INT(classad_free_bytes(&ad), free0);
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, 0), "\n");
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_LONG, 0), "");
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_NEW, 0), "[  ]");

	/* other literal types */
	CHECK_INT(classad_set_bool(&ad, "Enact", 0, &e), 0);
	CHECK_INT(classad_get_bool(&ad, "enact", &b), 0);
	CHECK_INT(b, 0);
	CHECK_INT(classad_set_real(&ad, "R", 2.5, &e), 0);
	CHECK_INT(classad_get_real(&ad, "R", &r), 0);
	CHECK(r == 2.5);
	CHECK_INT(classad_set_real(&ad, "N", NAN, &e), 0);
	CHECK_INT(classad_get_real(&ad, "N", &r), 0);
	CHECK(isnan(r));
	CHECK_INT(classad_set_real(&ad, "I", -INFINITY, &e), 0);
	CHECK_INT(classad_get_real(&ad, "I", &r), 0);
	CHECK(isinf(r) && r < 0);
	CHECK_INT(classad_set_int(&ad, "K", -7, &e), 0);
	CHECK_INT(classad_get_real(&ad, "K", &r), 0);
	CHECK(r == -7.0);
	CHECK_INT(classad_type(&ad, "K"), CLASSAD_V_INT);
	CHECK_INT(classad_set_expr(&ad, "E", "a + 1", &e), 0);
	CHECK_INT(classad_type(&ad, "E"), CLASSAD_V_EXPR);
	CHECK_INT(classad_type(&ad, "nope"), CLASSAD_V_NONE);
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, 0),
	          "E = a + 1\nI = real(\"-INF\")\nK = -7\nN = real(\"NaN\")\nR = 2.5\nEnact = false\n");
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_NEW, 0),
	          "[ E = a + 1; I = real(\"-INF\"); K = -7; N = real(\"NaN\"); R = 2.500000000000000E+00; Enact = false ]");

	/* names: bad ones rejected, odd ones quoted when printed */
	CHECK_INT(classad_set_int(&ad, "", 1, &e), CLASSAD_EINVAL);
	CHECK_INT(classad_set_int(&ad, "a=b", 1, &e), CLASSAD_EINVAL);
	CHECK_INT(classad_set_int(&ad, "odd name", 1, &e), 0);
	CHECK_INT(classad_set_int(&ad, "true", 1, &e), 0);
	CHECK(contains(print_ad(&ad, CLASSAD_FORM_OLD, 0), "\n'true' = 1\n"));
	CHECK(contains(print_ad(&ad, CLASSAD_FORM_OLD, 0), "\n'odd name' = 1\n"));
	CHECK(contains(print_ad(&ad, CLASSAD_FORM_LONG, 0), "\nodd name = 1\n"));

	/* attribute count bound */
	classad_init(&ad, big_arena, sizeof big_arena);
	for (i = 0; i < CLASSAD_MAX_ATTRS; i++) {
		snprintf(name, sizeof name, "A%u", i);
		if (classad_set_int(&ad, name, i, &e) != 0)
			break;
	}
	CHECK_INT(i, CLASSAD_MAX_ATTRS);
	err_clear(&e);
	CHECK_INT(classad_set_int(&ad, "OneTooMany", 1, &e), CLASSAD_EBOUND);
	CHECK(contains(err_text(&e, msg, sizeof msg), "CLASSAD_MAX_ATTRS"));
	CHECK_INT(classad_set_int(&ad, "A7", 70, &e), 0); /* replacing still works */
	CHECK_INT(classad_get_int(&ad, "a7", &i64), 0);
	CHECK_INT(i64, 70);
	CHECK_INT(classad_get_int(&ad, "A1023", &i64), 0);
	CHECK_INT(i64, 1023);
	/* clear makes it reusable */
	classad_clear(&ad);
	CHECK_INT(classad_count(&ad), 0);
	CHECK_INT(classad_set_int(&ad, "OneTooMany", 1, &e), 0);

	/* arena exhaustion leaves the ad consistent */
	classad_init(&ad, arena, 1024);
	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "Attr%u", i);
		err_clear(&e);
		if (classad_set_string(&ad, name, "some value of moderate length", &e) != 0)
			break;
	}
	CHECK(i > 3 && i < 100);
	CHECK(contains(err_text(&e, msg, sizeof msg), "arena full"));
	CHECK_INT(classad_count(&ad), i);
	CHECK_INT(classad_get_string(&ad, "Attr0", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "some value of moderate length");
	CHECK_INT(classad_delete(&ad, "Attr1"), 0);
	CHECK_INT(classad_set_string(&ad, "Z", "fits again", &e), 0);
}

static void test_parse_text(void)
{
	struct classad ad;
	struct err e = { 0 };
	int64_t v;
	char buf[64];
	const char *old = "# comment\n"
	                  "  MyType = \"Query\"\r\n"
	                  "\n"
	                  "Requirements = ((Name == \"refschedd@vm\"))\n"
	                  "LimitResults=1\n"
	                  "Projection   =   \"A B\"\n";

	classad_init(&ad, arena, sizeof arena);
	err_clear(&e);
	CHECK_INT(classad_parse_text(&ad, old, strlen(old), &e), 0);
	CHECK_INT(classad_count(&ad), 4);
	CHECK_INT(classad_get_int(&ad, "LimitResults", &v), 0);
	CHECK_INT(v, 1);
	CHECK_INT(classad_get_string(&ad, "Projection", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "A B");
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, 0),
	          "MyType = \"Query\"\nProjection = \"A B\"\nLimitResults = 1\n"
	          "Requirements = ((Name == \"refschedd@vm\"))\n");
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_JSON, 0),
	          "{\n  \"LimitResults\": 1,\n  \"MyType\": \"Query\",\n  \"Projection\": \"A B\",\n"
	          "  \"Requirements\": \"\\/Expr(((Name == \\\"refschedd@vm\\\")))\\/\"\n}");

	/* error with line number and offset */
	classad_clear(&ad);
	err_clear(&e);
	CHECK_INT(classad_parse_old(&ad, "A = 1\nB = (2\n", 12, &e), CLASSAD_EPARSE);
	err_text(&e, msg, sizeof msg);
	CHECK(contains(msg, "line 2") && contains(msg, "offset 6"));
	CHECK_INT(classad_parse_old(&ad, "no equals sign\n", 15, &e), CLASSAD_EPARSE);
	CHECK_INT(classad_parse_old(&ad, " = 3\n", 5, &e), CLASSAD_EPARSE);

	/* new syntax: escapes, concatenation, quoted names, order */
	{
		const char *nw = "[ b = \"x\\ty\\101\\n\" \"z\"; 'Odd Name' = {1, 2.5}; a = [ q = undefined ];"
		                 " c = error; ]  // trailing comment\n";
		classad_clear(&ad);
		err_clear(&e);
		CHECK_INT(classad_parse_text(&ad, nw, strlen(nw), &e), 0);
		CHECK_INT(classad_count(&ad), 4);
		CHECK_INT(classad_get_string(&ad, "b", buf, sizeof buf, NULL), 0);
		CHECK_STR(buf, "x\tyA\nz");
		CHECK_STR(print_ad(&ad, CLASSAD_FORM_NEW, 0),
		          "[ a = [ q = undefined ]; b = \"x\\tyA\\nz\"; c = error; 'Odd Name' = { 1,2.500000000000000E+00 } ]");
		CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, 0),
		          "a = [ q = undefined ]\nb = \"x\tyA\nz\"\nc = error\n'Odd Name' = { 1,2.5 }\n");
		CHECK_STR(print_ad(&ad, CLASSAD_FORM_JSON, 0),
		          "{\n  \"a\": {\n    \"q\": null\n  },\n  \"b\": \"x\\tyA\\nz\",\n"
		          "  \"c\": \"\\/Expr(error)\\/\",\n  \"Odd Name\": [\n    1,\n    2.5\n  ]\n}");
	}
	classad_clear(&ad);
	CHECK_INT(classad_parse_new(&ad, "[ a = \"\\q\" ]", 12, &e), CLASSAD_EPARSE);
	CHECK(contains(err_text(&e, msg, sizeof msg), "invalid escape"));
	CHECK_INT(classad_parse_new(&ad, "[ a = \"\\0\" ]", 12, &e), CLASSAD_EPARSE);
	CHECK_INT(classad_parse_new(&ad, "[ a = 1", 7, &e), CLASSAD_EPARSE);
	CHECK(contains(err_text(&e, msg, sizeof msg), "';' or ']'"));
	CHECK_INT(classad_parse_new(&ad, "[ a = 1 ] x", 11, &e), CLASSAD_EPARSE);
	CHECK_INT(classad_parse_new(&ad, "[ 'a=b' = 1 ]", 13, &e), CLASSAD_EPARSE);
	CHECK_INT(classad_parse_new(&ad, "a = 1", 5, &e), CLASSAD_EPARSE);
}

static void test_safe(void)
{
	struct classad ad;
	struct err e = { 0 };
	/* ESC sequence, BEL, DEL, C1 (U+009B CSI), RLO bidi override,
	 * invalid byte 0xff, truncated 0xe2 0x80, overlong 0xc0 0xaf,
	 * plus legit UTF-8 and a literal backslash-x */
	const char *evil = "a\x1b[2Jb\x07" "c\x7f" "d\xc2\x9b" "e\xe2\x80\xae" "f\xff" "g\xc3\xbc"
	                   "h\\x1b" "i\ttab\nnl\xc0\xaf" "\xe2\x80";

	classad_init(&ad, arena, sizeof arena);
	CHECK_INT(classad_set_string(&ad, "V", evil, &e), 0);
	CHECK_INT(classad_set_string(&ad, "Ok", "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 q\\\"", &e), 0);
	CHECK_INT(classad_value_unsafe(&ad, "V"), 1);
	CHECK_INT(classad_value_unsafe(&ad, "Ok"), 0);
	CHECK_INT(classad_value_unsafe(&ad, "None"), CLASSAD_ENOTFOUND);
	CHECK_INT(classad_unsafe(&ad), 1);
	CHECK_STR(print_val(&ad, "V", CLASSAD_FORM_OLD, CLASSAD_PRINT_SAFE),
	          "\"a\\x1b[2Jb\\x07c\\x7fd\\u009be\\u202ef\\xffg\xc3\xbch\\\\x1bi\\ttab\\nnl\\xc0\\xaf\\xe2\\x80\"");
	/* valid UTF-8 untouched, backslash doubled */
	CHECK_STR(print_val(&ad, "Ok", CLASSAD_FORM_OLD, CLASSAD_PRINT_SAFE),
	          "\"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 q\\\\\\\"\"");
	/* without the flag: raw bytes, as HTCondor prints them */
	CHECK(contains(print_val(&ad, "V", CLASSAD_FORM_OLD, 0), "\x1b[2J"));
	/* JSON safe */
	CHECK_STR(print_val(&ad, "V", CLASSAD_FORM_JSON, CLASSAD_PRINT_SAFE),
	          "\"a\\u001B[2Jb\\u0007c\\u007fd\\u009be\\u202ef\\ufffdg\xc3\xbch\\\\x1bi\\ttab\\nnl\\ufffd\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(print_val(&ad, "V", CLASSAD_FORM_JSON, 0),
	          "\"a\\u001B[2Jb\\u0007c\x7f" "d\xc2\x9b" "e\xe2\x80\xae" "f\xff" "g\xc3\xbc" "h\\\\x1bi\\ttab\\nnl\xc0\xaf\xe2\x80\"");
	/* unsafe bytes in a name */
	CHECK_INT(classad_set_int(&ad, "N\x1b", 1, &e), 0);
	CHECK_INT(classad_value_unsafe(&ad, "N\x1b"), 1);
	CHECK(contains(print_ad(&ad, CLASSAD_FORM_OLD, CLASSAD_PRINT_SAFE), "'N\\x1b' = 1\n"));
	CHECK(contains(print_ad(&ad, CLASSAD_FORM_LONG, CLASSAD_PRINT_SAFE), "N\\x1b = 1\n"));
	CHECK(classad_str_unsafe("plain", 5) == 0);
	CHECK(classad_str_unsafe("\xed\xa0\x80", 3) == 1); /* surrogate */
	CHECK(classad_str_unsafe("\xf4\x90\x80\x80", 4) == 1); /* > U+10FFFF */
	CHECK(classad_str_unsafe("\xf0\x9f\x98\x80", 4) == 0);
	/* a safe print of a whole normal ad equals the normal print */
	classad_init(&ad, arena, sizeof arena);
	CHECK_INT(classad_set_string(&ad, "ClientId", "vm-640", &e), 0);
	CHECK_INT(classad_set_int(&ad, "TokenLifetime", 42, &e), 0);
	{
		static char a[sizeof out];
		memcpy(a, print_ad(&ad, CLASSAD_FORM_OLD, 0), sizeof a);
		CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, CLASSAD_PRINT_SAFE), a);
	}
}

static void test_buf_sink(void)
{
	struct classad ad;
	struct err e = { 0 };
	struct classad_sink s;
	struct classad_buf b;
	char small[16];

	classad_init(&ad, arena, sizeof arena);
	CHECK_INT(classad_set_string(&ad, "Name", "a value that is too long", &e), 0);
	classad_sink_buf(&s, &b, small, sizeof small);
	err_clear(&e);
	CHECK_INT(classad_print(&ad, CLASSAD_FORM_OLD, 0, &s, &e), CLASSAD_ETOOBIG);
	CHECK(contains(err_text(&e, msg, sizeof msg), "16-byte buffer"));
	CHECK(strlen(small) < sizeof small);
	classad_sink_buf(&s, &b, small, 0);
	CHECK_INT(classad_print(&ad, CLASSAD_FORM_OLD, 0, &s, &e), CLASSAD_ETOOBIG);
}

/* ---- wire ------------------------------------------------------------------------ */

/* A CEDAR-like byte stream: plaintext strings end in NUL, encrypted
 * strings have an 8-byte length (including the NUL). */
struct bstream {
	unsigned char buf[1 << 17];
	size_t len, pos;
	int encrypted;
	int secrets; /* number of put_secret/get_secret calls */
};

static int bs_put_int(void *ctx, int64_t v)
{
	struct bstream *s = ctx;
	int i;
	if (s->len + 8 > sizeof s->buf)
		return -1;
	for (i = 7; i >= 0; i--)
		s->buf[s->len++] = (unsigned char)((uint64_t)v >> (8 * i));
	return 0;
}

static int bs_put_raw_str(struct bstream *s, const char *p, size_t n, int enc)
{
	if (enc && bs_put_int(s, (int64_t)n + 1) < 0)
		return -1;
	if (s->len + n + 1 > sizeof s->buf)
		return -1;
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len++] = 0;
	return 0;
}

static int bs_put_str(void *ctx, const char *p, size_t n)
{
	struct bstream *s = ctx;
	return bs_put_raw_str(s, p, n, s->encrypted);
}

static int bs_put_secret(void *ctx, const char *p, size_t n)
{
	struct bstream *s = ctx;
	s->secrets++;
	return bs_put_raw_str(s, p, n, 1);
}

static int bs_get_int(void *ctx, int64_t *v)
{
	struct bstream *s = ctx;
	uint64_t u = 0;
	int i;
	if (s->pos + 8 > s->len)
		return -1;
	for (i = 0; i < 8; i++)
		u = (u << 8) | s->buf[s->pos++];
	*v = (int64_t)u;
	return 0;
}

static int bs_get_raw_str(struct bstream *s, char *buf, size_t cap, size_t *len, int enc)
{
	if (enc) {
		int64_t n;
		if (bs_get_int(s, &n) < 0 || n < 1 || (uint64_t)n > s->len - s->pos)
			return -1;
		if (s->buf[s->pos] == 0xff) {
			s->pos += (size_t)n;
			return 1;
		}
		if ((size_t)n > cap)
			return -1;
		memcpy(buf, s->buf + s->pos, (size_t)n);
		s->pos += (size_t)n;
		buf[n - 1] = '\0';
		*len = strlen(buf);
		return 0;
	} else {
		unsigned char *z;
		size_t n;
		if (s->pos >= s->len)
			return -1;
		if (s->buf[s->pos] == 0xff) {
			s->pos++;
			return 1;
		}
		z = memchr(s->buf + s->pos, 0, s->len - s->pos);
		if (!z)
			return -1;
		n = (size_t)(z - (s->buf + s->pos));
		if (n + 1 > cap)
			return -1;
		memcpy(buf, s->buf + s->pos, n + 1);
		s->pos += n + 1;
		*len = n;
		return 0;
	}
}

static int bs_get_str(void *ctx, char *buf, size_t cap, size_t *len)
{
	struct bstream *s = ctx;
	return bs_get_raw_str(s, buf, cap, len, s->encrypted);
}

static int bs_get_secret(void *ctx, char *buf, size_t cap, size_t *len)
{
	struct bstream *s = ctx;
	s->secrets++;
	return bs_get_raw_str(s, buf, cap, len, 1);
}

static struct bstream bs;

static struct classad_io bs_io(int with_secret)
{
	struct classad_io io;
	memset(&io, 0, sizeof io);
	io.ctx = &bs;
	io.put_int = bs_put_int;
	io.put_str = bs_put_str;
	io.get_int = bs_get_int;
	io.get_str = bs_get_str;
	if (with_secret) {
		io.put_secret = bs_put_secret;
		io.get_secret = bs_get_secret;
	}
	return io;
}

static void bs_reset(int encrypted)
{
	memset(&bs, 0, sizeof bs);
	bs.encrypted = encrypted;
}

static void test_wire_bytes(void)
{
	/* cedar.md 7.2 (payload after the 5-byte header) and 7.3 */
	static const unsigned char plain[] = {
		0, 0, 0, 0, 0, 0, 0, 1,
		'R', 'e', 'q', 'u', 'e', 's', 't', 'I', 'd', ' ', '=', ' ', '"', '0', '1', '2', '3',
		'4', '5', '6', '"', 0,
		0, 0
	};
	static const unsigned char enc[] = {
		0, 0, 0, 0, 0, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 0, 0x16,
		'R', 'e', 'q', 'u', 'e', 's', 't', 'I', 'd', ' ', '=', ' ', '"', '0', '1', '2', '3',
		'4', '5', '6', '"', 0,
		0, 0, 0, 0, 0, 0, 0, 1, 0,
		0, 0, 0, 0, 0, 0, 0, 1, 0
	};
	struct classad ad, ad2;
	struct classad_io io = bs_io(0);
	struct err e = { 0 };
	char buf[32];

	CHECK_INT(sizeof plain, 32);
	CHECK_INT(sizeof enc, 56);
	classad_init(&ad, arena, CLASSAD_ARENA_SMALL);
	CHECK_INT(classad_set_string(&ad, "RequestId", "0123456", &e), 0);
	bs_reset(0);
	CHECK_INT(classad_put(&ad, &io, 0, NULL, 0, &e), 0);
	CHECK_INT(bs.len, sizeof plain);
	CHECK_MEM(bs.buf, plain, sizeof plain);
	bs_reset(1);
	CHECK_INT(classad_put(&ad, &io, 0, NULL, 0, &e), 0);
	CHECK_INT(bs.len, sizeof enc);
	CHECK_MEM(bs.buf, enc, sizeof enc);
	bs_reset(1);
	CHECK_INT(classad_put(&ad, &io, CLASSAD_PUT_NO_TYPES, NULL, 0, &e), 0);
	CHECK_INT(bs.len, sizeof enc - 18);

	/* decode both */
	classad_init(&ad2, arena + CLASSAD_ARENA_SMALL, CLASSAD_ARENA_SMALL);
	bs_reset(0);
	memcpy(bs.buf, plain, sizeof plain);
	bs.len = sizeof plain;
	CHECK_INT(classad_get(&ad2, &io, 0, &e), 0);
	CHECK_INT(bs.pos, bs.len);
	CHECK_INT(classad_get_string(&ad2, "RequestId", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "0123456");
	classad_clear(&ad2);
	bs_reset(1);
	memcpy(bs.buf, enc, sizeof enc);
	bs.len = sizeof enc;
	CHECK_INT(classad_get(&ad2, &io, 0, &e), 0);
	CHECK_INT(bs.pos, bs.len);
	CHECK_INT(classad_get_string(&ad2, "RequestId", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "0123456");

	/* malformed streams */
	classad_clear(&ad2);
	bs_reset(0);
	bs_put_int(&bs, -1);
	err_clear(&e);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EPARSE);
	CHECK(contains(err_text(&e, msg, sizeof msg), "out of range"));
	bs_reset(0);
	bs_put_int(&bs, 1000001);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EPARSE);
	bs_reset(0);
	bs_put_int(&bs, 1000000); /* huge but legal count: the stream runs dry */
	bs_put_raw_str(&bs, "A = 1", 5, 0);
	err_clear(&e);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EIO);
	CHECK(contains(err_text(&e, msg, sizeof msg), "attribute 2 of 1000000"));
	classad_clear(&ad2);
	bs_reset(0); /* missing trailing type strings */
	bs_put_int(&bs, 1);
	bs_put_raw_str(&bs, "A = 1", 5, 0);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EIO);
	classad_clear(&ad2);
	bs_reset(0); /* ...unless told so */
	bs_put_int(&bs, 1);
	bs_put_raw_str(&bs, "A = 1", 5, 0);
	CHECK_INT(classad_get(&ad2, &io, CLASSAD_GET_NO_TYPES, &e), 0);
	classad_clear(&ad2);
	bs_reset(0); /* NULL string */
	bs_put_int(&bs, 1);
	bs.buf[bs.len++] = 0xff;
	err_clear(&e);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EPARSE);
	CHECK(contains(err_text(&e, msg, sizeof msg), "NULL string"));
	bs_reset(0); /* bad line */
	bs_put_int(&bs, 1);
	bs_put_raw_str(&bs, "A = \"open", 9, 0);
	err_clear(&e);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EPARSE);
	err_text(&e, msg, sizeof msg);
	CHECK(contains(msg, "attribute 1 of 1") && contains(msg, "offset 4"));
	bs_reset(0); /* no '=' */
	bs_put_int(&bs, 1);
	bs_put_raw_str(&bs, "garbage", 7, 0);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EPARSE);
	bs_reset(0); /* ZKM without a key */
	bs_put_int(&bs, 1);
	bs_put_raw_str(&bs, "ZKM", 3, 0);
	CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EPARSE);
	CHECK_INT(classad_count(&ad2), 0);
	/* a line longer than the receiver's arena */
	{
		static char longline[9000];
		memset(longline, 'x', sizeof longline);
		memcpy(longline, "L = \"", 5);
		longline[sizeof longline - 1] = '"';
		classad_init(&ad2, arena, 4096);
		bs_reset(1);
		bs_put_int(&bs, 1);
		bs_put_raw_str(&bs, longline, sizeof longline, 1);
		bs_put_raw_str(&bs, "", 0, 1);
		bs_put_raw_str(&bs, "", 0, 1);
		err_clear(&e);
		CHECK_INT(classad_get(&ad2, &io, 0, &e), CLASSAD_EIO);
		CHECK(contains(err_text(&e, msg, sizeof msg), "free arena bytes"));
		classad_init(&ad2, arena, sizeof arena);
		bs.pos = 0;
		CHECK_INT(classad_get(&ad2, &io, 0, &e), 0);
		CHECK_INT(classad_get_string(&ad2, "L", out, sizeof out, NULL), 0);
		CHECK_INT(strlen(out), sizeof longline - 6);
	}
}

static void test_wire_private(void)
{
	struct classad ad, ad2;
	struct classad_io io = bs_io(0), ios = bs_io(1);
	struct err e = { 0 };
	const char *const proj[] = { "zeta", "Alpha", "missing", "ALPHA" };
	char buf[64];
	int64_t n;

	classad_init(&ad, arena, CLASSAD_ARENA_SMALL);
	classad_init(&ad2, arena + CLASSAD_ARENA_SMALL, CLASSAD_ARENA_SMALL);
	CHECK_INT(classad_set_string(&ad, "ClaimId", "secret#1", &e), 0);
	CHECK_INT(classad_set_string(&ad, "_condor_PrivThing", "secret2", &e), 0);
	CHECK_INT(classad_set_int(&ad, "Zeta", 1, &e), 0);
	CHECK_INT(classad_set_int(&ad, "Alpha", 2, &e), 0);
	CHECK_INT(classad_is_private("claimid", 7), 1);
	CHECK_INT(classad_is_private("_CONDOR_PRIVx", 13), 2);
	CHECK_INT(classad_is_private("Zeta", 4), 0);
	/* private attributes never in LONG/JSON output */
	CHECK(!contains(print_ad(&ad, CLASSAD_FORM_LONG, 0), "secret"));
	CHECK(!contains(print_ad(&ad, CLASSAD_FORM_JSON, 0), "secret"));
	CHECK(contains(print_ad(&ad, CLASSAD_FORM_OLD, 0), "secret"));

	/* default: V1 sent, V2 not (peer version unknown) */
	bs_reset(0);
	CHECK_INT(classad_put(&ad, &io, 0, NULL, 0, &e), 0);
	bs_get_int(&bs, &n);
	CHECK_INT(n, 3);
	bs.pos = 0;
	CHECK_INT(classad_get(&ad2, &io, 0, &e), 0);
	CHECK_INT(bs.pos, bs.len);
	CHECK_INT(classad_count(&ad2), 3);
	CHECK_INT(classad_get_string(&ad2, "ClaimId", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "secret#1");
	/* V2 with PRIV_V2, none with NO_PRIVATE */
	bs_reset(0);
	CHECK_INT(classad_put(&ad, &io, CLASSAD_PUT_PRIV_V2, NULL, 0, &e), 0);
	bs_get_int(&bs, &n);
	CHECK_INT(n, 4);
	bs_reset(0);
	CHECK_INT(classad_put(&ad, &io, CLASSAD_PUT_NO_PRIVATE | CLASSAD_PUT_PRIV_V2, NULL, 0, &e), 0);
	bs_get_int(&bs, &n);
	CHECK_INT(n, 2);
	/* ZKM: key present, stream not encrypted */
	bs_reset(0);
	CHECK_INT(classad_put(&ad, &ios, CLASSAD_PUT_PRIV_V2, NULL, 0, &e), 0);
	CHECK_INT(bs.secrets, 2);
	CHECK(memmem(bs.buf, bs.len, "ZKM\0\0\0\0\0\0\0\0\x15" "ClaimId = \"secret#1\"", 32) != NULL);
	classad_clear(&ad2);
	bs.pos = 0;
	bs.secrets = 0;
	CHECK_INT(classad_get(&ad2, &ios, 0, &e), 0);
	CHECK_INT(bs.secrets, 2);
	CHECK_INT(bs.pos, bs.len);
	CHECK_INT(classad_count(&ad2), 4);
	CHECK_INT(classad_get_string(&ad2, "_condor_privthing", buf, sizeof buf, NULL), 0);
	CHECK_STR(buf, "secret2");

	/* projection: listed ones that exist, case-insensitive order, once */
	bs_reset(0);
	CHECK_INT(classad_put(&ad, &io, 0, proj, 4, &e), 0);
	CHECK_INT(bs.len, 8 + 10 + 9 + 2);
	CHECK_MEM(bs.buf + 8, "Alpha = 2\0Zeta = 1\0\0", 20);
}

/* ---- the recorded real vectors ------------------------------------------------------ */

static char *strip_comment(char *s)
{
	char *c = strstr(s, "  # ");
	size_t n;
	if (c)
		*c = '\0';
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

struct vstate {
	struct classad ad;
	int active;   /* decoding this message */
	int in_ad;    /* attr lines pending */
	long attrs_left;
	int ads, attrs_checked, msgs;
	int sent_back; /* re-encoding matched the bytes */
	int projected; /* ...as a projection (alphabetical order) */
};

/* Check one decoded attribute line against our own print of it. */
static void check_attr_line(struct vstate *st, const char *line)
{
	const char *eq = strstr(line, " = ");
	char name[CLASSAD_MAX_NAME_LEN + 1];
	size_t nlen;

	if (!eq) {
		CHECK(eq != NULL);
		return;
	}
	nlen = (size_t)(eq - line);
	if (nlen > CLASSAD_MAX_NAME_LEN)
		nlen = CLASSAD_MAX_NAME_LEN;
	memcpy(name, line, nlen);
	name[nlen] = '\0';
	CHECK_STR(print_val(&st->ad, name, CLASSAD_FORM_OLD, 0), eq + 3);
	st->attrs_checked++;
}

static void run_vector(const char *path, struct vstate *st)
{
	static char line[16384];
	static unsigned char payload[1 << 16];
	FILE *f = fopen(path, "r");
	size_t plen = 0;
	int pending_plain = 0, skip = 0;
	struct classad_io io = bs_io(0);
	struct err e = { 0 };

	CHECK(f != NULL);
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the repository root or set TOKENBOX_VECTORS)\n", path);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		if (!strncmp(line, "msg ", 4)) {
			if (st->active && !skip && !st->in_ad)
				CHECK_INT(bs.pos, bs.len); /* every byte consumed */
			st->active = 0;
			skip = 0;
			pending_plain = strstr(line, "plaintext") != NULL;
			plen = 0;
			continue;
		}
		if ((line[0] == 'C' || line[0] == 'S') && line[1] == '>') {
			int end, off = 0;
			unsigned len;
			if (sscanf(line + 3, "%d %u %n", &end, &len, &off) >= 2 && pending_plain) {
				plen = check_unhex(line + 3 + off, payload, sizeof payload);
				CHECK_INT(plen, len);
				bs_reset(0);
				memcpy(bs.buf, payload, plen);
				bs.len = plen;
				st->active = 1;
				st->msgs++;
			}
			continue;
		}
		if (!strncmp(line, "pt ", 3)) {
			plen = check_unhex(line + 3, payload, sizeof payload);
			bs_reset(1);
			memcpy(bs.buf, payload, plen);
			bs.len = plen;
			st->active = 1;
			st->msgs++;
			continue;
		}
		if (strncmp(line, "| ", 2) || !st->active || skip)
			continue;
		strip_comment(line);
		if (st->in_ad) {
			if (!strncmp(line + 2, "attr ", 5)) {
				check_attr_line(st, line + 7);
			} else if (!strncmp(line + 2, "attrhex ", 8)) {
				static unsigned char raw[8192];
				size_t n = check_unhex(line + 10, raw, sizeof raw - 1);
				raw[n] = '\0';
				check_attr_line(st, (char *)raw);
			} else if (!strncmp(line + 2, "adtypes", 7)) {
				st->in_ad = 0;
				continue;
			}
			if (--st->attrs_left < 0)
				CHECK(st->attrs_left >= 0);
			continue;
		}
		if (!strncmp(line + 2, "int ", 4)) {
			int64_t v = 0;
			CHECK_INT(bs_get_int(&bs, &v), 0);
			CHECK_INT(v, strtoll(line + 6, NULL, 10));
		} else if (!strncmp(line + 2, "str", 3)) {
			static char sbuf[8192];
			size_t n;
			CHECK_INT(bs_get_str(&bs, sbuf, sizeof sbuf, &n), 0);
		} else if (!strncmp(line + 2, "bytes ", 6)) {
			unsigned long n = strtoul(line + 8, NULL, 10);
			bs.pos += n;
		} else if (!strncmp(line + 2, "ad ", 3)) {
			size_t start = bs.pos;
			long n = strtol(line + 5, NULL, 10);
			classad_clear(&st->ad);
			err_clear(&e);
			CHECK_INT(classad_get(&st->ad, &io, 0, &e), 0);
			if (!err_empty(&e))
				fprintf(stderr, "%s: %s\n", path, err_text(&e, msg, sizeof msg));
			CHECK_INT(classad_count(&st->ad), n);
			st->ads++;
			st->in_ad = 1;
			st->attrs_left = n;
			/* Re-encode: 25.14 sends a whole ad in (length, name)
			 * order and a projected one (session resumption, collector
			 * replies) in case-insensitive name order; one of the two
			 * must give the recorded bytes exactly. */
			{
				static struct bstream copy;
				static const char *names[CLASSAD_MAX_ATTRS];
				static char namebuf[CLASSAD_MAX_ATTRS][CLASSAD_MAX_NAME_LEN + 1];
				size_t end = bs.pos, nn = classad_count(&st->ad), k, l;
				int same;
				for (k = 0; k < nn; k++) {
					const char *p = classad_name_at(&st->ad, (unsigned)k, &l);
					memcpy(namebuf[k], p, l);
					namebuf[k][l] = '\0';
					names[k] = namebuf[k];
				}
				memcpy(&copy, &bs, sizeof copy);
				bs_reset(copy.encrypted);
				CHECK_INT(classad_put(&st->ad, &io, 0, NULL, 0, &e), 0);
				same = bs.len == end - start && memcmp(bs.buf, copy.buf + start, bs.len) == 0;
				if (!same && nn > 0) {
					bs_reset(copy.encrypted);
					CHECK_INT(classad_put(&st->ad, &io, 0, names, nn, &e), 0);
					same = bs.len == end - start && memcmp(bs.buf, copy.buf + start, bs.len) == 0;
					if (same)
						st->projected++;
				}
				if (same)
					st->sent_back++;
				else
					fprintf(stderr, "%s: re-encoded ad differs\n", path);
				memcpy(&bs, &copy, sizeof copy);
			}
		} else if (line[2] == '#') {
			continue;
		} else {
			skip = 1; /* TLS summaries and the like: not ours */
		}
	}
	fclose(f);
}

static void test_vectors(void)
{
	static const char *const files[] = {
		"V1-list-fs.txt", "V2-list-token.txt", "V3-approve-token-resume.txt",
		"V4-request-ssl-poll.txt", "V5-locate-schedd-query.txt", "V6-shared-port.txt",
		"V7a-auto-approve.txt", "V7b-token-fetch.txt"
	};
	static struct vstate st;
	const char *dir = getenv("TOKENBOX_VECTORS");
	char path[512];
	size_t i;

	if (!dir)
		dir = "tests/vectors/real";
	memset(&st, 0, sizeof st);
	classad_init(&st.ad, big_arena, sizeof big_arena);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		run_vector(path, &st);
	}
	/* The README counts 71 ads and 554 attribute lines. */
	CHECK_INT(st.ads, 71);
	CHECK_INT(st.attrs_checked, 554);
	CHECK_INT(st.sent_back, 71);
	CHECK(st.projected >= 4 && st.projected < 71);
}

/* The approve tool's "Request contents" for the V7a request ad. */
static void test_request_contents(void)
{
	struct classad ad;
	struct err e = { 0 };
	const char *wire = "ClientId = \"vm-14\"\n"
	                   "RequestId = \"9242885\"\n"
	                   "PeerLocation = \"127.0.0.1\"\n"
	                   "TokenLifetime = 4242\n"
	                   "RequestedIdentity = \"q\\\"uo\\te \xc3\xbc@refpool.local\"\n"
	                   "LimitAuthorization = \"READ,WRITE\"\n"
	                   "AuthenticatedIdentity = \"unauthenticated@unmapped\"\n";
	const char *rev = "AuthenticatedIdentity = \"unauthenticated@unmapped\"\n"
	                  "LimitAuthorization = \"READ,WRITE\"\n"
	                  "RequestedIdentity = \"q\\\"uo\\te \xc3\xbc@refpool.local\"\n"
	                  "TokenLifetime = 4242\n"
	                  "PeerLocation = \"127.0.0.1\"\n"
	                  "RequestId = \"9242885\"\n"
	                  "ClientId = \"vm-14\"\n";

	classad_init(&ad, arena, CLASSAD_ARENA_SMALL);
	CHECK_INT(classad_parse_old(&ad, rev, strlen(rev), &e), 0);
	/* sorted regardless of arrival order: the stock tool's output */
	CHECK_STR(print_ad(&ad, CLASSAD_FORM_OLD, 0), wire);
	CHECK_INT(classad_unsafe(&ad), 0);
}

int main(void)
{
	test_literals();
	test_strings();
	test_exprs();
	test_precedence();
	test_errors();
	test_node_bound();
	test_store();
	test_parse_text();
	test_safe();
	test_buf_sink();
	test_wire_bytes();
	test_wire_private();
	test_vectors();
	test_request_contents();
	return check_done("classad");
}
