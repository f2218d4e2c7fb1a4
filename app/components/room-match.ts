import type { Room } from "~/server/claims/owner-page.server";
import { matchesAddress, parseHomeAddress } from "~/shared/home-address";

// How the home pickers (the owners' page, the hotline's console) find a room of the chosen
// building as it is typed.

/**
 * Whether a room of the chosen building is what is typed: "1401", "2单元1401", "2-1401" (the room
 * from its start, so 14 narrows to 1401 and 401 never finds 1401; 0501 is 501 where the building
 * writes no 0501); other text, by the label.
 */
export function roomMatches(typed: string, room: Room, building: string, rooms: Room[]): boolean {
  const address = parseHomeAddress(typed, ["unitNo"]);
  if (!address) return room.label.includes(typed.trim());
  const home = (r: Room) => ({ building, unitNo: r.unitNo, room: r.room });
  return matchesAddress(home(room), address, { roomPrefix: true, listed: rooms.map(home) });
}

/** The room typed whole comes before the rooms it starts (1401 before 14010). */
export const wholeRoomFirst = (typed: string) => (a: Room, b: Room) => Number(b.room === typed.trim()) - Number(a.room === typed.trim());
