"""A tiny llama model for testing against a real llama-server: 4 layers, width 128, the Llama-2
vocabulary (from llama.cpp's models/ggml-vocab-llama-spm.gguf), random weights drawn from a fixed
seed, so every run writes the same file. Random weights already give real tokenization and real,
near-uniform log-probabilities.

The output rows of the answer letters (" A" to " E") are scaled up, so that the letters stand out
of the near-uniform next-token distribution for some prompts and not for others: a multiple-choice
run by next-token log-probabilities then meets both of its outcomes, a picked letter and "not in
the top k".

usage: python3 tiny_model.py LLAMA_CPP_SOURCE OUT.gguf
"""
import sys

import numpy as np

source, out = sys.argv[1], sys.argv[2]
sys.path.insert(0, f"{source}/gguf-py")
import gguf  # noqa: E402  (from the llama.cpp source, matching the server that reads the file)

LAYERS, WIDTH, HEADS, FFN, CONTEXT = 4, 128, 4, 352, 2048
LETTER_SCALE = 6.0
SEED = 20241

vocab = gguf.GGUFReader(f"{source}/models/ggml-vocab-llama-spm.gguf")
tokens = [bytes(vocab.fields["tokenizer.ggml.tokens"].parts[i]).decode("utf-8") for i in vocab.fields["tokenizer.ggml.tokens"].data]
n_vocab = len(tokens)

writer = gguf.GGUFWriter(out, "llama")
writer.add_name("evalbench-tiny")
writer.add_context_length(CONTEXT)
writer.add_embedding_length(WIDTH)
writer.add_block_count(LAYERS)
writer.add_feed_forward_length(FFN)
writer.add_head_count(HEADS)
writer.add_head_count_kv(HEADS)
writer.add_rope_dimension_count(WIDTH // HEADS)
writer.add_layer_norm_rms_eps(1e-5)
writer.add_file_type(gguf.LlamaFileType.ALL_F32)
writer.add_vocab_size(n_vocab)

# The tokenizer, copied field by field from the vocabulary file.
fields = vocab.fields
writer.add_tokenizer_model(bytes(fields["tokenizer.ggml.model"].parts[-1]).decode())
writer.add_tokenizer_pre(bytes(fields["tokenizer.ggml.pre"].parts[-1]).decode())
writer.add_token_list(tokens)
writer.add_token_scores([float(fields["tokenizer.ggml.scores"].parts[i][0]) for i in fields["tokenizer.ggml.scores"].data])
writer.add_token_types([int(fields["tokenizer.ggml.token_type"].parts[i][0]) for i in fields["tokenizer.ggml.token_type"].data])
writer.add_bos_token_id(int(fields["tokenizer.ggml.bos_token_id"].parts[-1][0]))
writer.add_eos_token_id(int(fields["tokenizer.ggml.eos_token_id"].parts[-1][0]))
writer.add_unk_token_id(int(fields["tokenizer.ggml.unknown_token_id"].parts[-1][0]))
writer.add_add_bos_token(True)
writer.add_add_eos_token(False)

rng = np.random.default_rng(SEED)


def normal(*shape):
    return (rng.standard_normal(shape) * 0.02).astype(np.float32)


output = normal(n_vocab, WIDTH)
for letter in "ABCDE":
    output[tokens.index("\u2581" + letter)] *= LETTER_SCALE

writer.add_tensor("token_embd.weight", normal(n_vocab, WIDTH))
writer.add_tensor("output_norm.weight", np.ones(WIDTH, dtype=np.float32))
writer.add_tensor("output.weight", output)
for i in range(LAYERS):
    writer.add_tensor(f"blk.{i}.attn_norm.weight", np.ones(WIDTH, dtype=np.float32))
    for name in ("attn_q", "attn_k", "attn_v", "attn_output"):
        writer.add_tensor(f"blk.{i}.{name}.weight", normal(WIDTH, WIDTH))
    writer.add_tensor(f"blk.{i}.ffn_norm.weight", np.ones(WIDTH, dtype=np.float32))
    writer.add_tensor(f"blk.{i}.ffn_gate.weight", normal(FFN, WIDTH))
    writer.add_tensor(f"blk.{i}.ffn_up.weight", normal(FFN, WIDTH))
    writer.add_tensor(f"blk.{i}.ffn_down.weight", normal(WIDTH, FFN))

writer.write_header_to_file()
writer.write_kv_data_to_file()
writer.write_tensors_to_file()
writer.close()
