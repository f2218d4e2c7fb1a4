import { useEffect, useRef, useState } from "react";
import type { Community, Room } from "~/server/claims/owner-page.server";
import { buildingLabel } from "~/shared/home-address";
import { roomMatches, wholeRoomFirst } from "../room-match";
import { Combobox, type ComboOption } from "./Combobox";
import { useHomeFinder } from "./finder";
import { Usable } from "./form";

// 小区 → 楼栋 → 房号 on the owners' page, each step asked of the public home finder (/owner/homes):
// the communities as the owner types a name (a city has thousands: the page never carries them
// all), then the community's buildings and the building's rooms. It knows the buildings and rooms,
// never who lives there.

const communityLabel = (c: Community) => (c.communityName === c.projectName ? c.communityName : `${c.communityName}（${c.projectName}）`);
/** How long typing pauses before the communities are asked for. */
const TYPING_PAUSE_MS = 250;

export function HomeFinder({ onPick }: { onPick: (unitId: string | null) => void }) {
  const communities = useHomeFinder();
  const buildings = useHomeFinder();
  const rooms = useHomeFinder();
  const [community, setCommunity] = useState<ComboOption | null>(null);
  const [building, setBuilding] = useState<string | null>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(typing.current), []);

  const pick = (id: string | null) => {
    setUnitId(id);
    onPick(id);
  };
  const search = (typed: string) => {
    clearTimeout(typing.current);
    typing.current = setTimeout(() => communities.load({ q: typed.trim() }), typed.trim() ? TYPING_PAUSE_MS : 0);
  };

  const found = communities.data?.kind === "communities" ? communities.data.communities : [];
  // The chosen community stays an option while another search's answer does not hold it.
  const communityOptions = [
    ...(community && !found.some((c) => c.projectId === community.value) ? [community] : []),
    ...found.map((c) => ({ value: c.projectId, label: communityLabel(c) })),
  ];
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
          onType={search}
          // The server found them by what was typed.
          matches={() => true}
          loading={communities.busy}
          empty="未找到该小区，请核对名称"
          onChange={(id) => {
            setCommunity(communityOptions.find((o) => o.value === id) ?? null);
            setBuilding(null);
            pick(null);
            buildings.load({ projectId: id });
          }}
        />
        <Combobox
          label="楼栋"
          placeholder="请选择楼栋"
          disabled={!community}
          loading={buildings.busy}
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
