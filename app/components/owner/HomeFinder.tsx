import { useState } from "react";
import type { Room } from "~/server/claims/owner-page.server";
import { buildingLabel } from "~/shared/home-address";
import { roomMatches, wholeRoomFirst } from "../room-match";
import { Combobox, type ComboOption } from "./Combobox";
import { COMMUNITY_SEARCH_MAX, communityLabel, searchCommunities, useHomeFinder } from "./finder";
import { Usable } from "./form";

// 小区 → 楼栋 → 房号 on the owners' page, each step asked of the public home finder (/owner/homes):
// the communities as the owner types a name (a city has thousands: the page never carries them
// all), then the community's buildings and the building's rooms. It knows the buildings and rooms,
// never who lives there.

export function HomeFinder({ onPick }: { onPick: (unitId: string | null) => void }) {
  const communities = useHomeFinder();
  const buildings = useHomeFinder();
  const rooms = useHomeFinder();
  const [community, setCommunity] = useState<ComboOption | null>(null);
  const [building, setBuilding] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);

  const pick = (id: string | null) => {
    setUnitId(id);
    onPick(id);
  };
  const search = (typed: string) => searchCommunities(communities, typed);

  // Only what the server found for the text in the box: never an older list for newer text.
  const communityOptions = (communities.data?.kind === "communities" ? communities.data.communities : []).map((c) => ({
    value: c.projectId,
    label: communityLabel(c),
  }));
  const buildingList = buildings.data?.kind === "buildings" ? buildings.data.buildings : [];
  const roomList = rooms.data?.kind === "rooms" ? rooms.data.rooms : [];
  return (
    <Usable>
      <div className="ow-stack">
        <Combobox
          label="小区"
          placeholder="请输入小区名称查找"
          options={communityOptions}
          value={community?.value ?? null}
          valueLabel={community?.label}
          maxLength={COMMUNITY_SEARCH_MAX}
          onType={search}
          // The server found them by what was typed.
          matches={() => true}
          loading={communities.busy}
          empty={communities.error ?? "未找到该小区，请核对名称"}
          onChange={(id) => {
            setCommunity(communityOptions.find((o) => o.value === id) ?? null);
            setBuilding(null);
            rooms.clear();
            pick(null);
            buildings.load({ projectId: id });
          }}
        />
        <Combobox
          label="楼栋"
          placeholder="请选择楼栋"
          disabled={!community}
          loading={buildings.busy}
          empty={buildings.error}
          options={buildingList.map((b) => ({ value: b, label: buildingLabel(b) }))}
          value={building}
          onChange={(b) => {
            setBuilding(b);
            pick(null);
            rooms.load({ projectId: community!.value, building: b });
          }}
        />
        <Combobox<Room>
          label="房号"
          placeholder="请选择单元和房号，可输入房号查找"
          disabled={!building}
          loading={rooms.busy}
          empty={rooms.error}
          options={roomList.map((r) => ({ value: r.unitId, label: r.label, data: r }))}
          matches={(typed, option) => roomMatches(typed, option.data!, building!, roomList)}
          order={(typed) => (a, b) => wholeRoomFirst(typed)(a.data!, b.data!)}
          value={unitId}
          onChange={pick}
        />
      </div>
    </Usable>
  );
}
