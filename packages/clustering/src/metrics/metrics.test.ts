import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusteringAccuracy } from './accuracy.ts';
import { adjustedRandIndex } from './ari.ts';
import { normalizedMutualInformation } from './nmi.ts';
import { confusionMatrix, contingencyTable } from './contingency.ts';
import { summarize } from '@elasticity/core';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);
const { log } = Math;

// Case A (k = 2): classes 0 0 0 1 1 1, clusters 0 0 1 1 1 1.
// Contingency (rows clusters, columns classes): [[2, 0], [1, 3]], n = 6.
const classesA = [0, 0, 0, 1, 1, 1];
const clustersA = [0, 0, 1, 1, 1, 1];

test('case A: contingency, accuracy, ARI, NMI by hand', () => {
  assert.deepEqual(contingencyTable(clustersA, classesA).counts, [[2, 0], [1, 3]]);
  // Accuracy: cluster 0 -> class 0 (2), cluster 1 -> class 1 (3): 5/6; and max(acc, 1 - acc) = max(5/6, 1/6).
  close(clusteringAccuracy(clustersA, classesA), 5 / 6);
  // ARI: index = C(2,2)+C(1,2)+C(3,2) = 1+0+3 = 4; cluster sizes 2, 4: 1+6 = 7;
  // class sizes 3, 3: 3+3 = 6; C(6,2) = 15; expected = 7*6/15 = 2.8; max = (7+6)/2 = 6.5;
  // ARI = (4 - 2.8) / (6.5 - 2.8) = 1.2/3.7 = 12/37.
  close(adjustedRandIndex(clustersA, classesA), 12 / 37);
  // MI = 2/6 log((2/6)/((2/6)(3/6))) + 1/6 log((1/6)/((4/6)(3/6))) + 3/6 log((3/6)/((4/6)(3/6)))
  //    = 1/3 log 2 - 1/6 log 2 + 1/2 log(3/2) = 1/6 log 2 + 1/2 log 1.5.
  // H(clusters) = -(1/3 log 1/3 + 2/3 log 2/3) = log 3 - 2/3 log 2; H(classes) = log 2.
  const mi = log(2) / 6 + log(1.5) / 2;
  const mean = (log(3) - (2 / 3) * log(2) + log(2)) / 2;
  close(normalizedMutualInformation(clustersA, classesA), mi / mean);
  close(mi / mean, 0.4787, 1e-4); // the same number, as a sanity check on the algebra
});

test('metrics are invariant to renaming clusters and classes', () => {
  const clustersRenamed = clustersA.map((c) => (c === 0 ? 7 : 3));
  const classesRenamed = classesA.map((c) => (c === 0 ? 9 : 4));
  for (const [cl, cs] of [[clustersRenamed, classesA], [clustersA, classesRenamed], [clustersRenamed, classesRenamed]]) {
    close(clusteringAccuracy(cl, cs), 5 / 6);
    close(adjustedRandIndex(cl, cs), 12 / 37);
    close(normalizedMutualInformation(cl, cs), normalizedMutualInformation(clustersA, classesA));
  }
  // Swapping the two cluster labels of a k = 2 clustering: accuracy stays max(acc, 1 - acc).
  const swapped = clustersA.map((c) => 1 - c);
  close(clusteringAccuracy(swapped, classesA), 5 / 6);
  // The plain agreement of the swapped labels with the classes is 1/6; the metric takes the better one.
  const plain = swapped.filter((c, i) => c === classesA[i]).length / 6;
  close(plain, 1 / 6);
  close(clusteringAccuracy(swapped, classesA), Math.max(plain, 1 - plain));
});

test('case B (k = 3): accuracy, ARI, NMI by hand', () => {
  // classes 0 0 1 1 2 2, clusters 1 1 2 2 2 0.
  // Contingency rows clusters 0..2, columns classes 0..2: [[0,0,1],[2,0,0],[0,2,1]].
  const classes = [0, 0, 1, 1, 2, 2];
  const clusters = [1, 1, 2, 2, 2, 0];
  assert.deepEqual(confusionMatrix(clusters, classes, 3).counts, [[0, 0, 1], [2, 0, 0], [0, 2, 1]]);
  // Best matching: 1 -> 0 (2), 2 -> 1 (2), 0 -> 2 (1): 5/6.
  close(clusteringAccuracy(clusters, classes), 5 / 6);
  // ARI: index = C(2,2)+C(2,2) = 2; cluster sizes 1,2,3: 0+1+3 = 4; class sizes 2,2,2: 3;
  // expected = 4*3/15 = 0.8; max = 3.5; ARI = 1.2/2.7 = 4/9.
  close(adjustedRandIndex(clusters, classes), 4 / 9);
  // MI = 1/6 log((1/6)/((1/6)(1/3))) + 2/6 log((2/6)/((2/6)(2/6))) + 2/6 log((2/6)/((3/6)(2/6))) + 1/6 log((1/6)/((3/6)(2/6)))
  //    = 1/6 log 3 + 1/3 log 3 + 1/3 log 2 + 0 = 1/2 log 3 + 1/3 log 2.
  // H(clusters) = 1/6 log 6 + 1/3 log 3 + 1/2 log 2; H(classes) = log 3.
  const mi = log(3) / 2 + log(2) / 3;
  const hU = log(6) / 6 + log(3) / 3 + log(2) / 2;
  close(normalizedMutualInformation(clusters, classes), mi / ((hU + log(3)) / 2));
});

test('perfect, independent and trivial clusterings', () => {
  const classes = [4, 4, 9, 9, 9, 4];
  const perfect = [1, 1, 0, 0, 0, 1];
  close(clusteringAccuracy(perfect, classes), 1);
  close(adjustedRandIndex(perfect, classes), 1);
  close(normalizedMutualInformation(perfect, classes), 1);
  // Independent: clusters 0 1 0 1 against classes 0 0 1 1: every cell 1.
  // MI = 0 -> NMI 0; index = 0, sizes 2,2 both: 1+1 = 2 each, expected = 2*2/6 = 2/3, max = 2:
  // ARI = (0 - 2/3)/(2 - 2/3) = -1/2.
  close(normalizedMutualInformation([0, 1, 0, 1], [0, 0, 1, 1]), 0);
  close(adjustedRandIndex([0, 1, 0, 1], [0, 0, 1, 1]), -0.5);
  close(clusteringAccuracy([0, 1, 0, 1], [0, 0, 1, 1]), 0.5);
  // One cluster for everything against one class: both scores are 1 (scikit-learn's limit case).
  close(adjustedRandIndex([0, 0, 0], [5, 5, 5]), 1);
  close(normalizedMutualInformation([0, 0, 0], [5, 5, 5]), 1);
});

test('confusion matrix keeps empty clusters as zero rows', () => {
  assert.deepEqual(confusionMatrix([0, 0, 2], [3, 8, 8], 3).counts, [[1, 1], [0, 0], [0, 1]]);
});

test('summary: mean and sample standard deviation', () => {
  // values 1, 2, 4: mean 7/3; squared deviations 16/9, 1/9, 25/9 sum 42/9; / (3 - 1) = 7/3.
  const s = summarize([1, 2, 4]);
  close(s.mean, 7 / 3);
  close(s.sd, Math.sqrt(7 / 3));
  assert.deepEqual(s.values, [1, 2, 4]);
  assert.deepEqual(summarize([0.75]), { mean: 0.75, sd: 0, values: [0.75] });
});
