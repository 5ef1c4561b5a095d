// Canonical put text and ## hash vectors (docs/protocol.md §7), as Gun.js computes them: JSON.stringify of the
// graph rebuilt with Object.keys(v).sort() at every level, then String.hash.
// Usage: node scripts/gen-canonical-put-vectors.js > jgun-core/src/test/resources/vectors/canonical-put.jsonl
function sort(v) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = {};
    Object.keys(v).sort().forEach(k => { o[k] = sort(v[k]) });
    return o;
  }
  return v;
}
function hash(s) { let c = 0; for (let i = 0; i < s.length; i++) { c = ((c << 5) - c + s.charCodeAt(i)) | 0 } return c }
const S = 1795520877934.001;
const graphs = [
  {"user/alice": {"_": {"#": "user/alice", ">": {"name": 1795520872832, "age": 1795520872832, "admin": 1795520872832, "score": 1795520872832}},
    "name": "Alice", "age": 30, "admin": true, "score": 1.5}},
  {"b/2": {"_": {"#": "b/2", ">": {"10": S, "9": 1, "Z": 2, "a": 3, "é": 4, "😀": 5, "_x": 6, "A": 7, "s": 0.1, "": 8}},
    "10": 1, "9": "x", "Z": true, "a": null, "é": {"#": "x"}, "😀": "s", "_x": 1.5, "A": 1e21,
    "s": "\u0000\ud800\"\\/é😀\u001f\n\u2028", "": -0.000001},
   "1": {"_": {"#": "1", ">": {"k": 1}}, "k": false},
   "A": {"_": {"#": "A", ">": {}}}},
  {"4294967295": {"_": {"#": "4294967295", ">": {"4294967294": 5e-324, "4294967295": 1.7976931348623157e308, "01": 2, "-1": 3}},
    "4294967294": 123456789012345680000, "4294967295": 0.000001, "01": 1e-7, "-1": -1.5e-300},
   "0": {"_": {"#": "0", ">": {"\ud83d": 1, "\ude00": 2, "\uffff": 3}}, "\ud83d": "lone", "\ude00": "\udfff", "\uffff": ""}},
];
for (const g of graphs) {
  const t = JSON.stringify(sort(g));
  console.log(JSON.stringify({input: JSON.stringify(g), canonical: t, hash: hash(t)}));
}
