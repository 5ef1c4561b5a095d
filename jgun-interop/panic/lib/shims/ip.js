'use strict';
// Stands in for npm `ip` (a devDependency of gun, not installed): the PANIC tests build every URL from
// require('ip').address(); answering loopback keeps all their traffic on 127.0.0.1.
module.exports = {
  address: () => '127.0.0.1',
  loopback: () => '127.0.0.1',
};
