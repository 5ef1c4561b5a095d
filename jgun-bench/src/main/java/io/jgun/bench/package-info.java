/** JMH benchmarks of jgun's hot paths: the codec, HAM and the store. Run from the shaded jar. */
package io.jgun.bench;
