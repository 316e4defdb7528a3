#!/usr/bin/env bash
# Compile cost of #[derive(SoftDelete)].
#
# Generates two throwaway crates in a temporary directory, each with ENTITIES entities of the
# same fields: one derives SoftDelete (path dependency on this checkout's soft-delete-core),
# the other is plain SeaORM with `impl ActiveModelBehavior for ActiveModel {}`. Dependencies
# are built once, untimed, in one shared target directory; then each crate alone is rebuilt
# REPS times (cargo check and cargo build, debug), alternating the two crates. Also prints the
# macro expansion size per entity and the crates the derive adds to a dependency tree.
#
#   benches/compile_cost/run.sh            # ENTITIES=100 REPS=5 by default
#   ENTITIES=20 REPS=2 benches/compile_cost/run.sh
#   KEEP=1 benches/compile_cost/run.sh     # keep the generated crates (path printed)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ENTITIES=${ENTITIES:-100}
REPS=${REPS:-5}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soft-delete-compile-cost.XXXXXX")
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "crates kept in $WORK"; fi
export CARGO_TARGET_DIR="$WORK/target"
unset RUSTFLAGS CARGO_BUILD_RUSTFLAGS

generate() { # name derive(0|1)
  local dir="$WORK/$1" derive=$2
  mkdir -p "$dir/src/entities"
  {
    printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2024"\npublish = false\n\n' "$1"
    printf '[workspace]\n\n[dependencies]\n'
    printf 'sea-orm = { version = "2.0.4", default-features = false, features = ["macros", "with-chrono"] }\n'
    if [ "$derive" = 1 ]; then printf 'soft-delete-core = { path = "%s/soft-delete-core" }\n' "$ROOT"; fi
  } > "$dir/Cargo.toml"
  cp "$ROOT/Cargo.lock" "$dir/Cargo.lock"
  {
    echo "//! $ENTITIES generated entities."
    echo "pub mod entities {"
    for i in $(seq 1 "$ENTITIES"); do echo "    pub mod e$i;"; done
    echo "}"
  } > "$dir/src/lib.rs"
  for i in $(seq 1 "$ENTITIES"); do
    {
      echo "use sea_orm::entity::prelude::*;"
      if [ "$derive" = 1 ]; then
        echo "use soft_delete_core::prelude::*;"
        echo
        echo "#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, SoftDelete)]"
        echo "#[soft_delete(token)]"
      else
        echo
        echo "#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]"
      fi
      cat <<RS
#[sea_orm(table_name = "entity_$i")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub deleted_at: Option<DateTimeUtc>,
    pub delete_token: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
RS
      if [ "$derive" = 0 ]; then echo; echo "impl ActiveModelBehavior for ActiveModel {}"; fi
    } > "$dir/src/entities/e$i.rs"
  done
}

now() { date +%s.%N; }

# Seconds to rebuild only the crate itself: touch its root and run the cargo command.
rebuild() { # dir cargo-subcommand
  touch "$1/src/lib.rs"
  local start end
  start=$(now)
  (cd "$1" && cargo "$2" --quiet)
  end=$(now)
  echo "$end - $start" | bc -l
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
spread() { sort -g | awk '{a[NR]=$1} END {printf "%.2f–%.2f", a[1], a[NR]}'; }

generate plain 0
generate softdelete 1

echo "building dependencies once (untimed) in $CARGO_TARGET_DIR"
for c in plain softdelete; do
  (cd "$WORK/$c" && cargo build --quiet && cargo check --quiet)
done

declare -A samples
for rep in $(seq 1 "$REPS"); do
  order="plain softdelete"
  if [ $((rep % 2)) = 0 ]; then order="softdelete plain"; fi
  for cmd in check build; do
    for c in $order; do
      samples[$c.$cmd]+="$(rebuild "$WORK/$c" "$cmd") "
    done
  done
done

echo
echo "## compile cost: $ENTITIES entities, $REPS rebuilds of the crate alone each (median, min–max)"
echo
echo "| command | plain SeaORM | with #[derive(SoftDelete)] | added | ratio |"
echo "|---|---|---|---|---|"
for cmd in check build; do
  p=$(echo "${samples[plain.$cmd]}" | tr ' ' '\n' | grep . | median)
  s=$(echo "${samples[softdelete.$cmd]}" | tr ' ' '\n' | grep . | median)
  ps=$(echo "${samples[plain.$cmd]}" | tr ' ' '\n' | grep . | spread)
  ss=$(echo "${samples[softdelete.$cmd]}" | tr ' ' '\n' | grep . | spread)
  printf '| `cargo %s` | %.2f s (%s) | %.2f s (%s) | %+.2f s (%.1f ms per entity) | %.2f |\n' \
    "$cmd" "$p" "$ps" "$s" "$ss" "$(echo "$s - $p" | bc -l)" "$(echo "($s - $p) * 1000 / $ENTITIES" | bc -l)" \
    "$(echo "$s / $p" | bc -l)"
done

# Expansion size: rustc's own pretty-printed expansion (needs RUSTC_BOOTSTRAP for -Z on a
# stable toolchain; used here only to measure), blank lines not counted.
expanded_lines() {
  (cd "$1" && RUSTC_BOOTSTRAP=1 cargo rustc --quiet --profile=check --lib -- -Zunpretty=expanded 2>/dev/null) \
    | grep -cv '^\s*$'
}
pl=$(expanded_lines "$WORK/plain")
sl=$(expanded_lines "$WORK/softdelete")
echo
echo "## expansion (rustc -Zunpretty=expanded, non-blank lines)"
echo
echo "| crate | lines | per entity |"
echo "|---|---|---|"
printf '| plain SeaORM | %d | %.0f |\n' "$pl" "$(echo "$pl / $ENTITIES" | bc -l)"
printf '| with #[derive(SoftDelete)] | %d | %.0f |\n' "$sl" "$(echo "$sl / $ENTITIES" | bc -l)"
printf '| added by the derive | %d | **%.0f** |\n' "$((sl - pl))" "$(echo "($sl - $pl) / $ENTITIES" | bc -l)"

# Crates in each dependency tree (normal and build dependencies, host proc-macros included).
crates() { (cd "$1" && cargo tree --quiet -e normal,build --prefix none --format '{p}') | sed 's/ (.*//; s/ (\*)//' | sort -u | grep -v "^$2 "; }
crates "$WORK/plain" plain > "$WORK/plain.crates"
crates "$WORK/softdelete" softdelete > "$WORK/softdelete.crates"
added=$(comm -13 "$WORK/plain.crates" "$WORK/softdelete.crates")
echo
echo "## dependency tree"
echo
echo "plain SeaORM: $(wc -l < "$WORK/plain.crates") crates; with soft-delete-core: $(wc -l < "$WORK/softdelete.crates") crates"
echo "added: $(echo "$added" | grep -c . || true): $(echo "$added" | tr '\n' ' ')"
