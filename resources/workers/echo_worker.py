#!/usr/bin/env python3
"""A CommandStage worker: the whole protocol in one file, Python 3 standard library only.

Pipeline file:
    - stage: CommandStage
      params:
        command: ["python3", "echo_worker.py"]
        params: {uppercase: true, drop_empty: true}
      resources: {gpus: 1}        # the engine sets CUDA_VISIBLE_DEVICES for this process

Protocol (JSON lines): read {"type":"hello",...}, answer {"type":"ready"}; then for each
{"type":"batch","id":N,"documents":[...]} answer {"type":"result","id":N,"documents":[...]}
(the documents replace the batch; "removed" lists dropped ones with a reason) or
{"type":"error","id":N,"message":"..."}. Exit when standard input closes.
Standard output carries only protocol lines; anything else (logs, prints) goes to standard error,
which the runner copies into the run log.

What this example does to each document: adds "length" (characters of the text field),
uppercases the text when params.uppercase is true, drops documents whose text is empty or blank
when params.drop_empty is true, and adds "worker" (the worker id and CUDA_VISIBLE_DEVICES this
process saw) when params.report_env is true.
"""
import json
import os
import sys


def main():
    out = sys.stdout
    sys.stdout = sys.stderr  # stray print() calls (yours or a library's) go to the log, not the protocol

    def send(message):
        out.write(json.dumps(message) + "\n")
        out.flush()

    hello = json.loads(sys.stdin.readline())
    params = hello["params"]
    field = hello["text_field"]
    # A real model loads here, once per worker, on the GPU(s) the engine gave this process:
    #   model = SentenceTransformer(params["model"], device="cuda")     # PyTorch
    #   llm = vllm.LLM(params["model"], gpu_memory_utilization=0.9)      # vLLM
    print(f"echo_worker {hello['worker_id']}: CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES', '(unset)')}", file=sys.stderr)
    send({"type": "ready", "model": "echo"})

    for line in sys.stdin:
        batch = json.loads(line)
        try:
            kept, removed = [], []
            texts = [doc.get(field) or "" for doc in batch["documents"]]
            # A real model runs here on the whole batch: scores = model.encode(texts) ...
            for doc, text in zip(batch["documents"], texts):
                if params.get("drop_empty") and not text.strip():
                    removed.append({"document": doc, "reason": "EmptyText"})
                    continue
                doc["length"] = len(text)
                if params.get("uppercase"):
                    doc[field] = text.upper()
                if params.get("report_env"):
                    doc["worker"] = {"id": hello["worker_id"], "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES")}
                kept.append(doc)
            send({"type": "result", "id": batch["id"], "documents": kept, "removed": removed})
        except Exception as e:  # one bad batch fails only that batch
            send({"type": "error", "id": batch["id"], "message": f"{type(e).__name__}: {e}"})


if __name__ == "__main__":
    main()
