-- bench/README.md's second size: a copy of pages.py's 100,000-case database keeping its first
-- 50,000 bench cases (and the demo's), made with
--   createdb -h 127.0.0.1 -U postgres -T fairway_bench fairway_bench_50k
--   psql -h 127.0.0.1 -U postgres fairway_bench_50k -f bench/halve.sql
-- The bench cases copy no outcome, early end, reminder, permission or move request, so only the
-- tables below hold their rows.
CREATE TEMP TABLE gone AS
    SELECT id FROM casework_case WHERE upn LIKE 'Z0%' AND upn >= 'Z000000050000';
DELETE FROM casework_attendanceweek WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_caseevent WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_extension WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_formsubmission WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_milestonedone WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_signoff WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_commitment WHERE case_id IN (SELECT id FROM gone);
DELETE FROM casework_case WHERE id IN (SELECT id FROM gone);
VACUUM FULL;
ANALYZE;
