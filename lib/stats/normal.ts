/**
 * Normal distribution helpers (spec 1.4): z everywhere, never t.
 * Hard-coded constants at the defaults, Acklam's Phi^-1 otherwise, Numerical Recipes erfc for tails.
 */
import { exp, log } from "./det-math";

/** z(0.975), hard-coded (spec 1.4). */
export const Z975 = 1.959963984540054;
/** z(0.80), hard-coded (spec 1.4). */
export const Z80 = 0.8416212335729143;

const A = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

function acklamLowerTail(p: number): number {
  const u = Math.sqrt(-2 * log(p));
  return (
    (((((C[0] * u + C[1]) * u + C[2]) * u + C[3]) * u + C[4]) * u + C[5]) /
    ((((D[0] * u + D[1]) * u + D[2]) * u + D[3]) * u + 1)
  );
}

/**
 * Phi^-1(p) by Acklam's rational approximation (spec 1.4, [ACK]); relative error < 1.15e-9.
 * Returns -Infinity / +Infinity at p = 0 / 1 and NaN outside [0, 1].
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p < P_LOW) return acklamLowerTail(p);
  if (p > 1 - P_LOW) return -acklamLowerTail(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** erfc(x), Numerical Recipes `erfcc` Chebyshev fit (spec 1.4, [NR]); relative error < 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const tau =
    t *
    exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
    );
  return x >= 0 ? tau : 2 - tau;
}

/** Standard normal CDF: Phi(x) = 0.5 * erfc(-x / sqrt 2) (spec 1.4). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** Two-sided normal p-value: p = erfc(|z| / sqrt 2) (spec 1.4). */
export function twoSidedNormalP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}

/** Chi-square(1) upper tail: p = erfc(sqrt(chi2 / 2)) (spec 1.4). */
export function chiSquare1Tail(chi2: number): number {
  return erfc(Math.sqrt(chi2 / 2));
}

/** z(1 - alpha/2): the hard-coded Z975 at alpha = 0.05, Acklam otherwise (spec 1.4). */
export function zTwoSided(alpha: number): number {
  return alpha === 0.05 ? Z975 : normalQuantile(1 - alpha / 2);
}

/** z(power): the hard-coded Z80 at power = 0.8, Acklam otherwise (spec 1.4). */
export function zPower(power: number): number {
  return power === 0.8 ? Z80 : normalQuantile(power);
}

/** MDE factor M = z(1 - alpha/2) + z(power) (spec 1.2); 2.8015852181129683 at the defaults. */
export function mdeFactor(alpha: number, power: number): number {
  return zTwoSided(alpha) + zPower(power);
}
