/**
 * apache-arrow through its CommonJS build (apache-arrow.cjs; Node finds its
 * named exports). Under tsx's ES module loader every module file is a round
 * trip to the loader's thread, and the ES module build is about 200 files;
 * the CommonJS build loads in the calling thread. Measured on the 2-core
 * machine under load, loading core's main entry (which every stage does):
 * 1.5 s of CPU with the ES module build, 0.7-0.9 s with this.
 */
export * from 'apache-arrow';
