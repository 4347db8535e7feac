/**
 * TensorFlow.js: the entry `@elasticity/core/tf`, the one way code gets `tf`
 * (`import { tf } from '@elasticity/core/tf'`; types as `tf.Tensor`).
 *
 * It is an entry of its own, outside the main one, so that what never runs
 * a TensorFlow.js model (the CLI's help, ingest, similarity without the
 * autoencoder or activation patterns, cluster, report) does not load it:
 * loading it takes about a second. initBackend and the model files'
 * save/load (main entry) load it when they are called.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
