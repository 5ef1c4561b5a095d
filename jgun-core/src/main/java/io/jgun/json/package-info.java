/**
 * JSON as JavaScript writes it. GUN peers compare and hash the text that {@code JSON.stringify}
 * produces (HAM's equal-state tie-break, docs/protocol.md §2.2; the {@code ##} reply hash,
 * docs/protocol.md §7), so jgun must reproduce it exactly: numbers in ECMA-262 Number::toString
 * form ({@link io.jgun.json.JsNumber}), strings escaped as {@code JSON.stringify} escapes them and
 * object keys in JavaScript's property order ({@link io.jgun.json.JsonText}), and a small JSON tree
 * for message parts that jgun forwards without interpreting ({@link io.jgun.json.Json}). Everything
 * here is checked against vectors generated with node ({@code scripts/gen-number-vectors.js}).
 */
package io.jgun.json;
