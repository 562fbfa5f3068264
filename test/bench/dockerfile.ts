// A large extended Dockerfile for the preprocessing benchmark: the mix a long real file has.

const STAGE_LENGTH = 500;

type Block = (i: number) => readonly string[];

// Each block is one instruction (a comment line may come before it); they repeat in this order.
const BLOCKS: readonly Block[] = [
  (i) => [`# step ${i}: fetch and unpack the sources`, 'RUN set -eux; \\', `    mkdir -p /src/${i}; \\`, `    cd /src/${i} && echo unpack > README; \\`, '    rm -rf /tmp/*'],
  (i) => [`COPY --chown=app:app src/part-${i}/ /app/part-${i}/`],
  (i) => [`ENV PART_${i}_HOME=/app/part-${i} PART_${i}_MODE="release build"`],
  (i) => [`LABEL org.example.part-${i}="part ${i}" \\`, `      org.example.part-${i}.stage=build`],
  (i) => [`ADDRESS svc-${i}`],
  (i) => [`RUN ["/bin/sh", "-c", "echo part ${i} >> /parts.txt"]`],
  (i) => [`NEED volume data-${i} /data/${i} ro`],
  (i) => ['# heredocs hold lines that only look like statements', `RUN <<EOT`, `echo "NEED volume not-a-statement-${i} /x" > /note-${i}`, `echo done-${i}`, 'EOT'],
  (i) => [`WORKDIR /app/part-${i}`],
  (i) => [`ARG PART_${i}_VERSION=1.${i}.0`],
  (i) => [`COPY <<-EOT /etc/part-${i}.conf`, `\tADDRESS not-a-statement-${i}`, '\tEOT'],
  (i) => [`NEED network net-${i}`],
  (i) => [`EXPOSE ${1024 + (i % 60000)}/tcp`],
  (i) => [`RUN apt-get update && apt-get install -y --no-install-recommends \\`, `      pkg-${i}-a \\`, '      # comment lines inside continuations are dropped', `      pkg-${i}-b \\`, '    && rm -rf /var/lib/apt/lists/*'],
  (i) => [`USER app${i % 7}`],
];

/**
 * An extended Dockerfile with exactly `count` instructions (FROM included): chained stages of
 * RUN (shell form with continuations, JSON form, heredocs), COPY, ENV, LABEL, ADDRESS/NEED and
 * comments. Every name and mount point is unique, so berth finds no problem in it.
 */
export function generateDockerfile(count: number): string {
  const lines = ['# syntax=docker/dockerfile:1', '# generated for berth\'s preprocessing benchmark'];
  let written = 0;
  let block = 0;
  while (written < count) {
    if (written % STAGE_LENGTH === 0) {
      const stage = written / STAGE_LENGTH;
      lines.push('', stage === 0 ? 'FROM berth-test/busybox:1 AS s0' : `FROM s${stage - 1} AS s${stage}`);
    } else {
      const make = BLOCKS[block % BLOCKS.length];
      if (make) lines.push(...make(written));
      block += 1;
    }
    written += 1;
  }
  lines.push('');
  return lines.join('\n');
}
