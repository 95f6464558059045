/** Line colours, the baseline first: distinguishable in colour and in grey. */
const COLORS = ["#2456c7", "#d9730d", "#17803d", "#9b3fc0", "#c0392b", "#0f8b8d", "#7a5c00", "#5b6573"];

export const lineColor = (index: number) => COLORS[index % COLORS.length];

/** What a custom recharts tooltip reads of its props. */
export interface TooltipState {
  active?: boolean;
  label?: string | number;
  payload?: readonly { payload?: unknown }[];
}
