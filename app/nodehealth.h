#pragma once

namespace dispatch {

class HttpApi;
class Storage;

// /health's "node" (this node: its name; with a token its addresses), "peers" (with a token:
// the other nodes on the database, alive or not, by the database's clock) and "database"
// (the link: kind and whether it is connected; with a token where, the last error, the rows
// waiting in memory and the last commit's duration). `storage` must outlive `api`'s routes.
void addNodeHealth(HttpApi &api, const Storage &storage);

} // namespace dispatch
