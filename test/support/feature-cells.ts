/** Reading a built sequence by channel id and week, for assertions on exact values. */
import { CHANNELS, WEEKS } from "../../shared/features/spec.ts";
import type { PatientFeatures } from "../../shared/features/types.ts";

type ChannelId = (typeof CHANNELS)[number]["id"];

function channelIndex(id: ChannelId): number {
  const index = CHANNELS.findIndex((channel) => channel.id === id);
  if (index < 0) throw new Error(`no channel ${id}`);
  return index;
}

/** The non-zero weeks of one channel as { week: value }. */
export function weeksOf(features: PatientFeatures, id: ChannelId): Record<number, number> {
  const offset = channelIndex(id) * WEEKS;
  const weeks: Record<number, number> = {};
  for (let week = 0; week < WEEKS; week++) {
    const value = features.sequence[offset + week] ?? 0;
    if (value !== 0) weeks[week] = value;
  }
  return weeks;
}

/** Ids of channels that have any non-zero week. */
export function activeChannels(features: PatientFeatures): ChannelId[] {
  return CHANNELS.filter((_, index) => features.sequence.subarray(index * WEEKS, (index + 1) * WEEKS).some((v) => v !== 0)).map(
    (channel) => channel.id,
  );
}

/** A float32 value as the sequence stores it. */
export const f32 = (value: number): number => Math.fround(value);
