/**
 * Signal and noise of a benchmark across a training run, after Heineman et al. 2025, "Signal and
 * Noise: A Framework for Reducing Uncertainty in Language Model Evaluation"
 * (allenai/signal-and-noise, `snr/metrics.py`):
 * - noise: the population standard deviation (numpy's `np.std`, divide by k) of a line's last k
 *   checkpoint scores, divided by their mean;
 * - signal: the largest difference between the scores of several lines (models) at one step,
 *   divided by the mean of those scores;
 * - SNR = signal / noise.
 * Each is null where it is undefined (fewer than two values, a zero mean, no noise).
 */

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Population standard deviation (divide by n), as np.std. */
export function populationSd(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) * (v - m), 0) / values.length);
}

/** Relative noise of the last checkpoints' scores: populationSd / mean; null for fewer than 2 values or a zero mean. */
export function relativeNoise(lastScores: readonly number[]): number | null {
  if (lastScores.length < 2) return null;
  const m = mean(lastScores);
  return m === 0 ? null : populationSd(lastScores)! / Math.abs(m);
}

/** Relative signal: max over pairs |m_j - m_k| / mean of the m; null for fewer than 2 lines or a zero mean. */
export function relativeSignal(scores: readonly number[]): number | null {
  if (scores.length < 2) return null;
  const m = mean(scores);
  return m === 0 ? null : (Math.max(...scores) - Math.min(...scores)) / Math.abs(m);
}

/** signal / noise; null when either is undefined or the noise is 0. */
export function signalToNoise(signal: number | null, noise: number | null): number | null {
  return signal === null || noise === null || noise === 0 ? null : signal / noise;
}
