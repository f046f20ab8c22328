-- The schema of an NCCID.Batch cluster in PostgreSQL, created by `nccid-batch cluster init`.
-- Every statement creates only what is missing, so running it again changes nothing.
-- Statements are separated by lines reading exactly '-- statement'.
--
-- Part 1: the tables of Quartz.NET's ADO.NET job store (AdoJobStore, table prefix qrtz_), with the columns
-- Quartz 4.7 reads and writes. Times are ticks (bigint); job data is the serializer's bytes.
-- statement
create table if not exists qrtz_job_details (
  sched_name        text not null,
  job_name          text not null,
  job_group         text not null,
  description       text,
  job_class_name    text not null,
  is_durable        boolean not null,
  is_nonconcurrent  boolean not null,
  is_update_data    boolean not null,
  requests_recovery boolean not null,
  job_data          bytea,
  primary key (sched_name, job_name, job_group)
);
-- statement
create table if not exists qrtz_triggers (
  sched_name              text not null,
  trigger_name            text not null,
  trigger_group           text not null,
  job_name                text not null,
  job_group               text not null,
  description             text,
  next_fire_time          bigint,
  prev_fire_time          bigint,
  priority                integer,
  trigger_state           text not null,
  trigger_type            text not null,
  start_time              bigint not null,
  end_time                bigint,
  calendar_name           text,
  misfire_instr           smallint,
  misfire_orig_fire_time  bigint,
  execution_group         varchar(200),
  preferred_node          varchar(200),
  preferred_node_auto     boolean not null default false,
  retry_policy            varchar(250),
  retry_attempt           integer,
  continues_trigger_name  text,
  continues_trigger_group text,
  continuation_condition  integer,
  overlap_policy          integer,
  pause_reason            varchar(250),
  paused_by               varchar(200),
  paused_at               bigint,
  misfire_threshold       bigint,
  fixed_delay             boolean,
  job_data                bytea,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, job_name, job_group) references qrtz_job_details (sched_name, job_name, job_group)
);
-- statement
create table if not exists qrtz_simple_triggers (
  sched_name      text not null,
  trigger_name    text not null,
  trigger_group   text not null,
  repeat_count    bigint not null,
  repeat_interval bigint not null,
  times_triggered bigint not null,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group) references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);
-- statement
create table if not exists qrtz_cron_triggers (
  sched_name      text not null,
  trigger_name    text not null,
  trigger_group   text not null,
  cron_expression text not null,
  time_zone_id    text,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group) references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);
-- statement
create table if not exists qrtz_simprop_triggers (
  sched_name    text not null,
  trigger_name  text not null,
  trigger_group text not null,
  str_prop_1    text,
  str_prop_2    text,
  str_prop_3    text,
  int_prop_1    integer,
  int_prop_2    integer,
  long_prop_1   bigint,
  long_prop_2   bigint,
  dec_prop_1    numeric,
  dec_prop_2    numeric,
  bool_prop_1   boolean,
  bool_prop_2   boolean,
  time_zone_id  text,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group) references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);
-- statement
create table if not exists qrtz_blob_triggers (
  sched_name    text not null,
  trigger_name  text not null,
  trigger_group text not null,
  blob_data     bytea,
  primary key (sched_name, trigger_name, trigger_group),
  foreign key (sched_name, trigger_name, trigger_group) references qrtz_triggers (sched_name, trigger_name, trigger_group) on delete cascade
);
-- statement
create table if not exists qrtz_calendars (
  sched_name    text not null,
  calendar_name text not null,
  calendar      bytea not null,
  primary key (sched_name, calendar_name)
);
-- statement
create table if not exists qrtz_paused_trigger_grps (
  sched_name    text not null,
  trigger_group text not null,
  pause_reason  varchar(250),
  paused_by     varchar(200),
  paused_at     bigint,
  primary key (sched_name, trigger_group)
);
-- statement
create table if not exists qrtz_paused_job_grps (
  sched_name   text not null,
  job_group    text not null,
  pause_reason varchar(250),
  paused_by    varchar(200),
  paused_at    bigint,
  primary key (sched_name, job_group)
);
-- statement
create table if not exists qrtz_fired_triggers (
  sched_name               text not null,
  entry_id                 text not null,
  trigger_name             text not null,
  trigger_group            text not null,
  instance_name            text not null,
  fired_time               bigint not null,
  sched_time               bigint not null,
  priority                 integer not null,
  state                    text not null,
  job_name                 text,
  job_group                text,
  is_nonconcurrent         boolean not null,
  requests_recovery        boolean,
  execution_group          varchar(200),
  progress                 integer,
  progress_message         varchar(250),
  interrupt_requested_time bigint,
  primary key (sched_name, entry_id)
);
-- statement
create table if not exists qrtz_scheduler_state (
  sched_name        text not null,
  instance_name     text not null,
  last_checkin_time bigint not null,
  checkin_interval  bigint not null,
  quartz_version    varchar(20),
  primary key (sched_name, instance_name)
);
-- statement
create table if not exists qrtz_locks (
  sched_name text not null,
  lock_name  text not null,
  primary key (sched_name, lock_name)
);
-- statement
create index if not exists idx_qrtz_j_g_n on qrtz_job_details (sched_name, job_group, job_name);
-- statement
create index if not exists idx_qrtz_t_j on qrtz_triggers (sched_name, job_name, job_group);
-- statement
create index if not exists idx_qrtz_t_g_n on qrtz_triggers (sched_name, trigger_group, trigger_name);
-- statement
create index if not exists idx_qrtz_t_c on qrtz_triggers (sched_name, calendar_name);
-- statement
create index if not exists idx_qrtz_t_nft_st on qrtz_triggers (sched_name, trigger_state, next_fire_time, priority desc, misfire_instr);
-- statement
create index if not exists idx_qrtz_ft_inst_job_req_rcvry on qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
-- statement
create index if not exists idx_qrtz_ft_j_g on qrtz_fired_triggers (sched_name, job_name, job_group);
-- statement
create index if not exists idx_qrtz_ft_t_g on qrtz_fired_triggers (sched_name, trigger_name, trigger_group);
--
-- Part 2: the bookkeeping of clustered releases. One row per submitted release run and one per shard; the
-- shards' state is what `nccid-batch cluster status` shows, and the run's state makes publication happen once.
-- statement
create table if not exists nccid_release_runs (
  run_id        text primary key,
  job_name      text not null,
  staging       text not null,
  shard_count   integer not null,
  state         text not null default 'running',
  release_id    text,
  host          text,
  submitted_utc timestamptz not null,
  ended_utc     timestamptz,
  error         text
);
-- statement
create table if not exists nccid_release_shards (
  run_id      text not null references nccid_release_runs (run_id) on delete cascade,
  shard       integer not null,
  centre      text not null,
  files       bigint not null,
  state       text not null default 'pending',
  host        text,
  attempts    integer not null default 0,
  started_utc timestamptz,
  ended_utc   timestamptz,
  error       text,
  primary key (run_id, shard)
);
