package dev.onerec4j.engine.tokenizer.quant;

import dev.onerec4j.tensors.Tensor;
import dev.onerec4j.tensors.nn.Init;
import dev.onerec4j.tensors.nn.Linear;
import dev.onerec4j.tensors.nn.Module;
import dev.onerec4j.tensors.ops.Arith;

/**
 * The RQ-VAE's networks and codebooks: encoder {@code in -> hidden -> latent} and decoder
 * {@code latent -> hidden -> in} (SiLU between the two linear layers), and one trainable codebook
 * {@code [size(l), latent]} per level.
 */
final class RqVaeNet extends Module {

    private final Linear enc1;
    private final Linear enc2;
    private final Linear dec1;
    private final Linear dec2;
    private final Tensor[] codebooks;

    RqVaeNet(Init init, int in, int hidden, int latent, int[] sizes) {
        enc1 = child("enc1", new Linear(init, in, hidden, true));
        enc2 = child("enc2", new Linear(init, hidden, latent, true));
        dec1 = child("dec1", new Linear(init, latent, hidden, true));
        dec2 = child("dec2", new Linear(init, hidden, in, true));
        codebooks = new Tensor[sizes.length];
        for (int l = 0; l < sizes.length; l++) {
            codebooks[l] = parameter("codebook" + l, init.normal(0.1, sizes[l], latent));
        }
    }

    Tensor encode(Tensor x) {
        return enc2.forward(Arith.silu(enc1.forward(x)));
    }

    Tensor decode(Tensor z) {
        return dec2.forward(Arith.silu(dec1.forward(z)));
    }

    Tensor codebook(int level) {
        return codebooks[level];
    }

    int levels() {
        return codebooks.length;
    }

    int inputDim() {
        return enc1.inFeatures();
    }

    int hidden() {
        return enc1.outFeatures();
    }

    int latent() {
        return enc2.outFeatures();
    }

    /** The current codebooks as a (frozen) {@link ResidualCodebooks}. */
    ResidualCodebooks frozenCodebooks() {
        float[][] books = new float[codebooks.length][];
        for (int l = 0; l < books.length; l++) {
            books[l] = codebooks[l].toFloatArray();
        }
        return new ResidualCodebooks(latent(), books);
    }
}
