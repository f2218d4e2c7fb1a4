import { useFetcher } from "@remix-run/react";
import Select from "antd/es/select";
import { Space } from "~/components/ui/Space";
import { useEffect, useRef, useState } from "react";
import type { Community, HomeFinderAnswer, Room } from "~/server/claims/owner-page.server";
import { buildingLabel } from "~/shared/home-address";
import { communityLabel, searchCommunities, useHomeFinder } from "./owner/finder";
import { roomMatches, wholeRoomFirst } from "./room-match";

// 小区 → 楼栋 → 房号: cascading choices fed by the public home finder (/owner/homes). It knows the
// buildings and rooms, never who lives there. The communities are found as the agent types (the
// first few by name, as the owners' page finds them), not sent with the page: a city has thousands.

/** The communities whose name holds what is typed (none while asked); `first` before anything is typed. */
function useCommunitySearch(first: Community[]) {
  const finder = useHomeFinder();
  const found = finder.data?.kind === "communities" ? finder.data.communities : finder.busy ? [] : first;
  return { communities: found, search: (typed: string) => searchCommunities(finder, typed), searching: finder.busy };
}

/** A home the picker starts from (the one the page has open), with its community. */
export interface PickedHome extends Community, Room {
  building: string;
}

const buildingsOf = (projectId: string) => `/owner/homes?${new URLSearchParams({ projectId })}`;
const roomsOf = (projectId: string, building: string) => `/owner/homes?${new URLSearchParams({ projectId, building })}`;

/**
 * The 小区 → 楼栋 → 房号 picker; `communities` are those offered before anything is typed (the first
 * few by name). `home`: the home it starts on (a page reloaded with a home open), its lists loaded.
 */
export function HomePicker({
  communities: first,
  home,
  onPick,
}: {
  communities: Community[];
  home?: PickedHome | null;
  onPick: (unitId: string | null) => void;
}) {
  const { communities, search, searching } = useCommunitySearch(first);
  // The chosen community, value and label: it stays shown whatever a later search finds.
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(
    home ? { value: home.projectId, label: communityLabel(home) } : null,
  );
  const buildings = useFetcher<HomeFinderAnswer>();
  const rooms = useFetcher<HomeFinderAnswer>();
  const projectId = chosen?.value ?? null;
  const [building, setBuilding] = useState<string | null>(home?.building ?? null);
  const [unitId, setUnitId] = useState<string | null>(home?.unitId ?? null);
  // The lists of the home it starts on, so that another building or room is one choice away: once,
  // for the home the picker was made with (a home chosen in it afterwards loads its own lists).
  const { load: loadBuildings } = buildings;
  const { load: loadRooms } = rooms;
  const startingHome = useRef(home ?? null);
  useEffect(() => {
    const start = startingHome.current;
    startingHome.current = null;
    if (!start) return;
    loadBuildings(buildingsOf(start.projectId));
    loadRooms(roomsOf(start.projectId, start.building));
  }, [loadBuildings, loadRooms]);
  const pick = (id: string | null) => {
    setUnitId(id);
    onPick(id);
  };

  // Until its lists come, the home it starts on is shown by its name, not its id.
  const opened = home && unitId === home.unitId ? home : null;
  const buildingList = buildings.data?.kind === "buildings" ? buildings.data.buildings : opened ? [opened.building] : [];
  const roomList = rooms.data?.kind === "rooms" ? rooms.data.rooms : opened ? [opened] : [];
  return (
    <Space direction="vertical" style={{ width: "100%" }}>
      <Select
        aria-label="小区"
        placeholder="请选择小区，可输入名称查找"
        showSearch
        // The server finds them (by community or project name); the list shows what it found.
        filterOption={false}
        onSearch={search}
        loading={searching}
        notFoundContent={searching ? "查找中…" : "未找到该小区，请核对名称"}
        style={{ width: "100%" }}
        labelInValue
        value={chosen}
        options={communities.map((c) => ({ value: c.projectId, label: communityLabel(c) }))}
        onChange={(picked: { value: string; label: string }) => {
          const id = picked.value;
          setChosen(picked);
          setBuilding(null);
          pick(null);
          buildings.load(buildingsOf(id));
        }}
      />
      <Select
        aria-label="楼栋"
        placeholder="请选择楼栋"
        style={{ width: "100%" }}
        disabled={!projectId}
        loading={buildings.state !== "idle"}
        value={building}
        options={buildingList.map((b) => ({ value: b, label: buildingLabel(b) }))}
        onChange={(b: string) => {
          setBuilding(b);
          pick(null);
          rooms.load(roomsOf(projectId!, b));
        }}
      />
      <Select
        aria-label="房号"
        placeholder="请选择单元和房号，可输入房号查找"
        showSearch
        filterOption={(typed, option) => !!option && roomMatches(typed, option.room, building!, roomList)}
        filterSort={(a, b, { searchValue }) => wholeRoomFirst(searchValue)(a.room, b.room)}
        style={{ width: "100%" }}
        disabled={!building}
        loading={rooms.state !== "idle"}
        value={unitId}
        options={roomList.map((r) => ({ value: r.unitId, label: r.label, room: r }))}
        onChange={(id: string) => pick(id)}
      />
    </Space>
  );
}
