// Deliberate differences between jgun and Gun.js that the differential tester accepts. Every entry
// is an entry of docs/compatibility.md with the same id; the tester shows how often each one matched.
'use strict';

function has(k, s){ return k.indexOf(s) >= 0 }
function fieldsOf(g){
  if(!g || 'object' !== typeof g){ return null }
  var out = {};
  Object.keys(g).forEach(function(soul){ Object.keys(g[soul]).forEach(function(k){ out[soul + '.' + k] = JSON.stringify(g[soul][k]) }) });
  return out;
}
function subset(a, b){ return Object.keys(a).every(function(k){ return b[k] === a[k] }) }

var ENTRIES = [
  {id: 'D3', why: 'a lex GET is answered by radisk on a Gun.js relay with its first match only; jgun answers every match',
    test: function(d){
      if(!/rawGet@.*[{]/.test(d.key)){ return false }
      var g = fieldsOf(d.gunjs), j = fieldsOf(d.jgun);
      if(d.gunjs === 'not found'){ g = {} }
      return !!(g && j && Object.keys(g).length <= 1 && subset(g, j));
    }},
  {id: 'D5', why: 'a put whose fields are all in the future: Gun.js never acks it, jgun acks it when it comes due',
    test: function(d){ return has(d.key, 'future ack') && d.gunjs === 'none' && d.jgun === 'ok' }}
];

// d: {key, gunjs, jgun}; returns the id of the first entry that explains the difference, or null.
function match(d, sc){
  for(var i = 0; i < ENTRIES.length; i++){ if(ENTRIES[i].test(d, sc)){ return ENTRIES[i].id } }
  return null;
}

module.exports = {match: match, ENTRIES: ENTRIES};
