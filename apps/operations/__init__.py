"""Stock operations: purchase orders and receiving, transfers between stores with stock in
transit. Their own tables keep what was ordered, received, shipped and lost per line; every
figure change goes through the engine (apps.inventory.services), one call per operation,
its ledger rows carrying the operation's number (PO-00001, TR-00001) as `reference`."""
