"""Complaint classification: taxonomy category and sectors, by rules and (optionally) a trained model.

Pure library (no Django, no database). Three layers:

Rules (zero-shot)
    A curated Indonesian lexicon per category and per sector (words, phrases, informal variants,
    and a few ``prefix*`` stems for affixed verbs such as ``menggelap*``). Lexicon entries go through
    the same ``normalize_text`` as the report, so abbreviation expansion applies to both sides; they
    are matched on normalised token n-grams (1..4 tokens); the "jalan" or "gang" of a street address
    ("jalan raya natar no 45") is not matched. Each distinct entry counts once with its weight (1
    weak hint, 2 clear, 3 decisive); a category scores its strongest entry plus half the others, so
    one decisive word is not outvoted by context words piled up around it. A report that names an
    offence (a corruption group or pungli, by an entry of weight 2.5 or more) is about the offence:
    the symptom categories (public service, information request, aspiration) then count at half.
    Category probabilities are a softmax of the scores
    (``_RULE_TEMPERATURE``) with a small prior for ``pelayanan_publik``, so a text without any
    evidence comes out as a public-service complaint with a low confidence (about 0.13). The
    evidence shown is a category's clear entries (weight 2 or more), weak hints only when it has none.
    Sectors are independent tags: a sector needs a score of at least 2, its confidence is
    ``1 - exp(-score / 3)``.

Model (per agency)
    ``train`` fits a multinomial logistic regression (scikit-learn, class_weight="balanced", C=20)
    on blocks of features of the normalised text: word 1-2 gram TF-IDF, character 3-5 gram TF-IDF
    (within word boundaries, each block L2-normalised) and, when the labels are taxonomy keys, the
    rule scores of every category and sector. Rules and model are thus combined *inside* the model:
    the weight of each rule score is learnt per class from the agency's own labelled reports, which
    lets a small training set profit from the lexicon's synonyms. For other label spaces (``kind``,
    e.g. an agency's routing units) the rule block is off: measured on the benchmark it cost
    0.5-2 macro-F1 points there. At prediction time the model ranks the labels (``category``,
    ``confidence`` and ``alternatives`` are the model's probabilities) and the rules explain:
    ``evidence`` is the rule evidence for the chosen label when it is a taxonomy key with evidence,
    otherwise the word n-grams that pushed the model most towards the chosen label. Sectors always
    come from the rules.

    Serialisation is safe: ``Model.to_bytes`` writes a compressed ``.npz`` holding float arrays and
    one UTF-8 JSON document (vocabularies, classes, parameters); ``Model.from_bytes`` reads it with
    ``allow_pickle=False`` and validates every shape. No pickle anywhere.

Evaluation
    ``evaluate`` splits stratified, trains our model (exactly what ``train`` produces) and a plain
    baseline (word 1-2 gram TF-IDF of the raw text + default LogisticRegression) on the same split,
    and reports per-class precision / recall / F1 and macro-F1 for both.
"""

from __future__ import annotations

import io
import json
import math
import random
import re
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from sigap.triage.lib.jsonl import read_objects, text_of
from sigap.triage.lib.normalize import normalize_text
from sigap.triage.lib.taxonomy import CATEGORY_KEYS, DEFAULT_CATEGORY, OFFENCE_CATEGORY_KEYS, SECTOR_KEYS

__all__ = [
    "MAX_CHARS",
    "ClassScore",
    "Classification",
    "EvaluationReport",
    "Model",
    "RuleMatch",
    "SystemScores",
    "classify",
    "evaluate",
    "evaluate_jsonl",
    "match_rules",
    "train",
]

#: Only the first MAX_CHARS characters of a report are classified (a 1 MB paste costs no more).
MAX_CHARS = 20_000
_MAX_NGRAM = 4
_RULE_TEMPERATURE = 0.8
_RULE_PRIOR: dict[str, float] = {DEFAULT_CATEGORY: 0.5}
# A report that names an offence (a corruption group or pungli, by a decisive or clear word: weight
# 2.5 or more) is about that offence, not about its symptoms: the broken road of a bribed road
# project, the question the reporter asks about it. Categories that name only what a citizen
# suffers, asks or wishes then count at this fraction of their score.
_SYMPTOM_CATEGORIES = frozenset({"pelayanan_publik", "permintaan_informasi", "aspirasi"})
# A breach of discipline beside an offence is what the money went on or how the offender behaves
# ("menggelapkan 300 juta buat judi online"): the offence is what the report is about.
# Only to a decisive word of the offence ("menggelapkan"), not a clear one ("dipotong").
_YIELDS_TO_OFFENCE = _SYMPTOM_CATEGORIES | {"etik_disiplin"}
_DECISIVE_WEIGHT = 3.0
_OFFENCE_CATEGORIES = OFFENCE_CATEGORY_KEYS
_OFFENCE_WEIGHT = 2.5
_SYMPTOM_SHARE = 0.5
# A category's score is its strongest word's weight plus this share of the others': one decisive
# word ("suap") is not outvoted by the context words piled up around it ("kontraktor", "tender").
_CATEGORY_REST = 0.5
# Evidence shown for a category: its clear words (weight 2 or more) when it has any; weak hints
# ("mohon", "jalan", "rp") only when nothing clearer was found.
_CLEAR_EVIDENCE = 2.0
_SECTOR_MIN_SCORE = 2.0
_MAX_SECTORS = 3
_MAX_ALTERNATIVES = 3
_MAX_EVIDENCE = 8
_FORMAT = "sigap.triage.classify/1"

# ----------------------------------------------------------------------------------------------
# Lexicons: key -> {weight: "entry|entry|..."}; "stem*" matches any token starting with stem.
# ----------------------------------------------------------------------------------------------

_CATEGORY_TERMS: dict[str, dict[float, str]] = {
    "kerugian_keuangan_negara": {
        3.0: "kerugian negara|merugikan negara|kerugian keuangan negara|mark up|markup|dimark up|"
        "penggelembungan|digelembungkan|proyek fiktif|kegiatan fiktif|perjalanan dinas fiktif|"
        "sppd fiktif|pegawai fiktif|honor fiktif|kuitansi fiktif|kwitansi fiktif|nota fiktif|"
        "spj fiktif|laporan fiktif|dikorupsi|korupsi anggaran|korupsi dana|penyalahgunaan wewenang|"
        "menyalahgunakan wewenang|penyalahgunaan anggaran|penyalahgunaan dana|proyek mangkrak|"
        "tidak sesuai spesifikasi|tidak sesuai spek|pengurangan volume|volume dikurangi|"
        "anggaran ganda|double anggaran|marked up|inflated price|inflated prices|state loss|ghost project|"
        "fictitious project|misuse of funds|misused the funds|misused funds",
        2.5: "fictitious|corruption|corrupt official|corrupt officials|corrupt practice|corrupt practices|"
        "fiktif|mangkrak|harga tidak wajar|kemahalan|"
        "menyalahgunakan jabatan|penyalahgunaan jabatan|korupsi",
        2.0: "keuangan negara|uang negara|anggaran dihabiskan|asal jadi|koruptor|"
        "dana desa tidak jelas|penggunaan dana tidak jelas|penggunaan anggaran tidak jelas",
        1.0: "anggaran|apbd|apbn|apbdes|rab|spj",
    },
    "suap": {
        3.0: "suap|menyuap|disuap|penyuapan|suapan|sogok|menyogok|disogok|sogokan|uang pelicin|"
        "fee proyek|minta fee|meminta fee|upeti|uang tutup mulut|jual beli jabatan|beli jabatan|"
        "jual jabatan|kickback|jual beli kursi|beli kursi|titip nilai|uang damai|salam tempel|bribe|bribes|"
        "bribed|bribery|bribing|kickbacks|hush money",
        2.5: "pelicin|uang rokok|uang kopi|setoran|menyetor uang|uang terima kasih|amplop|"
        "uang amplop|uang titipan|titipan|mahar jabatan|mahar|kasus dihentikan|perkara dihentikan|"
        "agar kasus|supaya kasus|biar kasus|agar tidak diproses|supaya tidak diproses|tanpa tes|"
        "jalur belakang|lewat belakang|orang dalam",
        2.0: "fee|uang lelah|uang bensin|jatah|commitment fee|komitmen fee|imbalan|agar diloloskan|"
        "supaya diloloskan|biar lolos|agar lolos|supaya lolos|diloloskan",
        1.0: "komisi|persen|nego|titip",
    },
    "penggelapan_jabatan": {
        3.0: "penggelapan|menggelap*|digelap*|gelapkan|selewengkan|menyelewengkan|diselewengkan|"
        "penyelewengan|nyelewengkan|menilap|ditilap|tilap|disunat|diembat|dipakai pribadi|"
        "dipakai untuk pribadi|digunakan untuk pribadi|untuk kepentingan pribadi|tidak disalurkan|"
        "tidak disetorkan|memalsukan laporan|pemalsuan laporan|pemalsuan dokumen|dana raib|embezzle*|"
        "masuk kantong pribadi|masuk kantong sendiri|kantong pribadi|buat kepentingan pribadi|"
        "untuk beli mobil pribadi|buat beli mobil pribadi|"
        "misappropriat*|siphoned|pocketed the",
        2.5: "sunat|embat|raib|uang kas|kas desa|memalsukan|dipalsukan|pemalsuan|kuitansi palsu|"
        "kwitansi palsu|menghilangkan barang bukti|dana dipotong|dipotong|potongan|memotong|"
        "memotong dana|memotong insentif|memotong honor|memotong gaji|memotong bantuan",
        2.0: "kepentingan pribadi|belum disalurkan|tidak diserahkan|tidak sampai|dana hilang|"
        "uang hilang|dibawa kabur",
        1.0: "belum diterima|tidak diterima",
    },
    "pemerasan": {
        3.0: "pemerasan|diperas|memeras|peras|dipalak|memalak|palak|palakan|dipaksa bayar|"
        "dipaksa membayar|dipaksa memberi|uang keamanan|kalau tidak bayar|jika tidak bayar|"
        "kalau tidak membayar|jika tidak membayar|kalau tidak setor|jika tidak setor|kalau tidak kasih|"
        "kalau tidak memberi|ditakut takuti|extort*|blackmail*",
        2.5: "diancam|mengancam|ancaman|ancam|ngancam|ngancem|diancem|intimidasi|diintimidasi|dipaksa",
        1.5: "minta uang|meminta uang|meminta sejumlah uang|minta sejumlah uang|wajib setor",
    },
    "perbuatan_curang": {
        3.0: "kecurangan|curang|penyerobotan tanah negara|menyerobot tanah negara|dioplos|oplosan|"
        "mengoplos|mengurangi timbangan|timbangan curang|menjual aset negara|menjual aset desa|"
        "menjual aset pemda|material dikurangi|bahan dikurangi|campuran semen",
        2.5: "serobot|menyerobot|diserobot|penyerobotan|tanah negara|aset negara|aset pemda|"
        "aset desa|kualitas material|material jelek|bahan bangunan jelek|mengurangi bahan",
        1.5: "penipuan|menipu|ditipu|tipu|akal akalan|manipulasi|dimanipulasi|rekayasa|direkayasa",
    },
    "benturan_kepentingan_pengadaan": {
        3.0: "tender diatur|lelang diatur|pengaturan tender|pengaturan lelang|mengatur tender|"
        "mengatur lelang|pemenang sudah ditentukan|sudah ada pemenangnya|persekongkolan|bersekongkol|"
        "kongkalikong|arisan proyek|pinjam bendera|perusahaan keluarga|perusahaan milik keluarga|"
        "benturan kepentingan|konflik kepentingan|perusahaan milik istri|perusahaan milik anak|"
        "perusahaan milik kepala|proyek milik keluarga|jatah proyek|bagi bagi proyek|bid rigging|"
        "rigged tender|rigged the tender|conflict of interest|collusion|cronyism|nepotism",
        2.5: "penunjukan langsung|ditunjuk langsung|keluarga pejabat|milik istri|milik anak|"
        "milik adik|milik kakak|nepotisme|kolusi|kkn|dimenangkan|monopoli proyek|rigged",
        2.0: "pemenang tender|pemenang lelang|menang tender|menang lelang|perusahaan milik|kerabat",
        1.0: "tender|lelang|rekanan|vendor|pengadaan",
        0.5: "kontraktor|proyek",
    },
    "gratifikasi": {
        3.0: "gratifikasi|menerima hadiah|diberi hadiah|memberi hadiah|parsel|parcel|hampers|"
        "bingkisan lebaran|minta thr|meminta thr|thr dari|fasilitas gratis|tiket gratis|gratification|"
        "received gifts|received a gift|accepted gifts|accepted a gift",
        2.5: "hadiah|bingkisan|cenderamata|cinderamata|souvenir|jamuan|dijamu|hibah pribadi|"
        "menerima uang|menerima mobil|menerima rumah|menerima tanah|menerima fasilitas|diberi mobil|"
        "diberi uang|dibelikan mobil|dibelikan rumah|pemberian dari|menerima pemberian",
        2.0: "dari pengusaha|dari rekanan|dari kontraktor|dari vendor|dari wajib pajak",
        1.5: "thr|pemberian|oleh oleh|traktir|ditraktir|voucher",
        1.0: "menerima|pengusaha",
    },
    "pungli": {
        3.0: "pungli|pungutan liar|punglinya|tarif tidak resmi|biaya tidak resmi|pungutan tidak resmi|"
        "seharusnya gratis|harusnya gratis|katanya gratis|padahal gratis|gratis tapi bayar|calo|percaloan|"
        "sumbangan wajib|iuran wajib|tanpa kuitansi|tanpa kwitansi|tidak ada kuitansi|"
        "tidak ada kwitansi|bayar lebih|uang parkir liar|pungutan|illegal levy|illegal levies|illegal fee|"
        "illegal fees|illegal charge|illegal charges|unofficial fee|unofficial fees",
        2.5: "dipungut|memungut|pungut|dimintai uang|dimintai biaya|diminta uang|diminta bayar|"
        "diminta rp|dimintai rp|diminta sebesar|dimintai sebesar|"
        "diminta membayar|disuruh bayar|disuruh membayar|biaya tambahan|uang administrasi|uang gedung|"
        "uang seragam|wajib membeli|wajib beli|harus membeli|preman|premanisme",
        2.0: "harus bayar|harus membayar|ditarik biaya|ditarik uang|ditarik iuran|uang jasa|"
        "biaya administrasi|uang buku|lks|sumbangan|iuran|tarikan|minta uang|meminta uang|"
        "uang tambahan|biaya lebih|minta tambahan|diminta setor|disuruh setor|biar cepat|agar cepat|"
        "supaya cepat|uang percepatan|jalur cepat",
        1.0: "bayar|membayar|biaya|tarif|setor|memotong",
        0.5: "ribu|rp|juta",
    },
    "maladministrasi": {
        3.0: "maladministrasi|penundaan berlarut|berlarut larut|tidak sesuai prosedur|"
        "menyalahi prosedur|menyimpang dari prosedur|penyimpangan prosedur|dipingpong|dipimpong|"
        "dilempar lempar|dioper oper|dipersulit|mempersulit|berbelit belit|berbelit|"
        "menolak melayani|tidak mau melayani|ditolak tanpa alasan|sewenang wenang|diskriminasi|"
        "diskriminatif|pilih kasih|maladministration|undue delay",
        2.5: "berlarut|tidak kunjung|tidak kunjung selesai|tidak kunjung diproses|belum diproses|"
        "tidak diproses|tidak ada kejelasan|tidak jelas kapan|tidak ada tindak lanjut|"
        "tidak ditindaklanjuti|tidak ditanggapi|tidak direspon|tidak direspons|tidak transparan|"
        "tidak profesional|tidak kompeten|salah input|data salah|salah data|salah ketik|"
        "tidak prosedural|prosedur",
        2.0: "berbulan bulan|bertahun tahun|berminggu minggu|lambat|lamban|menunggu lama|"
        "sangat lama|terlalu lama|belum selesai|belum jadi|belum terbit|tidak terbit|diabaikan|"
        "belum dibayar|tidak dibayar|belum cair|tidak cair|belum terima|belum menerima|tertunda",
        1.0: "lama|menunggu|ditolak|tidak jelas|kejelasan",
    },
    "etik_disiplin": {
        3.0: "bolos|membolos|mangkir|judi online|judol|berjudi|selingkuh|perselingkuhan|berselingkuh|"
        "pelecehan seksual|kode etik|pelanggaran etik|melanggar etika|melanggar kode etik|"
        "titip absen|indisipliner|tidak netral|netralitas|politik praktis|narkoba|nyabu|sabu|"
        "tidak masuk kerja|jarang masuk kerja|jarang masuk kantor|tidak pernah masuk|"
        "tidak disiplin|pelanggaran disiplin",
        2.5: "judi|pelecehan|mabuk|mabuk mabukan|miras|nikah siri|kumpul kebo|asusila|tidak etis|"
        "tidak sopan|tidak beretika|kampanye|main game|main judi|pulang cepat|pulang lebih awal|"
        "keluyuran|double job|kerja sampingan|jam kerja",
        2.0: "saat jam kerja|di jam kerja|kasar|arogan|membentak|dibentak|marah marah|memaki|"
        "dimaki|tidur|main hp|merokok|disiplin|etika|perilaku|kelakuan|oknum pegawai|oknum asn",
        1.0: "asn|pns|pegawai|oknum|absen|terlambat|telat|utang|hutang",
    },
    "pelayanan_publik": {
        3.0: "jalan rusak|jalan berlubang|jalan rusak parah|lampu jalan mati|lampu mati|pju mati|"
        "air mati|air tidak mengalir|air tidak keluar|sampah menumpuk|sampah tidak diangkut|"
        "belum diperbaiki|tidak diperbaiki|mohon diperbaiki|mohon perbaikan|pelayanan buruk|"
        "pelayanan lambat|pelayanan jelek|pelayanan kurang",
        2.5: "rusak|berlubang|banjir|genangan|tergenang|saluran tersumbat|got mampet|mampet|"
        "tersumbat|pohon tumbang|tumbang|sampah|macet|kemacetan|bocor|tidak berfungsi|"
        "tidak menyala|padam|listrik padam|mati lampu|antrean panjang|antrian panjang",
        2.0: "perbaikan|diperbaiki|pju|penerangan jalan|lampu|kotor|bau|bising|parkir liar|pkl|"
        "pedagang kaki lima|trotoar|drainase|selokan|got|saluran|gorong gorong|pdam|antre|antri|"
        "antrean|antrian|pelayanan|fasilitas|mohon ditindaklanjuti|tolong ditindaklanjuti|"
        "mohon segera",
        1.0: "jalan|air|listrik|mohon|tolong|keluhan|mengeluh|warga",
    },
    "permintaan_informasi": {
        3.0: "mohon info|mohon informasi|minta info|minta informasi|meminta informasi|"
        "mohon penjelasan|mau tanya|ingin tanya|ingin bertanya|mau bertanya|izin bertanya|ijin bertanya|"
        "ingin menanyakan|mau menanyakan|bagaimana cara|bagaimana prosedur|bagaimana caranya|"
        "syarat pendaftaran|persyaratan pendaftaran|apa saja syarat|apa saja persyaratan|"
        "kapan dibuka|kapan pendaftaran|berapa biaya|cara mendaftar|cara daftar|cara mengurus|"
        "informasi mengenai|informasi tentang|info tentang|info mengenai|minta salinan|meminta salinan|"
        "mohon salinan|permohonan informasi|permohonan informasi publik|keterbukaan informasi|uu kip|"
        "informasi publik|ppid",
        2.5: "bertanya|menanyakan|pertanyaan|tanya|syarat|persyaratan|penjelasan|jadwal|"
        "bagaimana|berapa lama",
        1.5: "info|informasi|kapan|apakah|prosedur|mekanisme|pendaftaran|daftar|caranya|cara",
    },
    "aspirasi": {
        3.0: "aspirasi|usulan|usul|mengusulkan|diusulkan|saran|menyarankan|alangkah baiknya|"
        "akan lebih baik|mohon dibangun|mohon diadakan|mohon dibuatkan|mohon ditambah|perlu dibangun|"
        "perlu diadakan|gagasan|apresiasi",
        2.5: "masukan|sebaiknya|seharusnya ada|harapan kami|kami berharap|semoga ke depan|"
        "kritik|ide|agar dibangun|agar diadakan|dibuatkan",
        1.5: "berharap|harapan|semoga|sebaiknya ada|perlu ada|dibangun|diadakan|ditambah",
    },
}

_SECTOR_TERMS: dict[str, dict[float, str]] = {
    "pengadaan": {
        3.0: "pengadaan|tender|lelang|kontraktor|rekanan|barang dan jasa|barang jasa|lpse|e katalog|"
        "ekatalog|katalog elektronik|penunjukan langsung|pokja|fee proyek|arisan proyek|pinjam bendera|"
        "jatah proyek|pemenang tender|pemenang lelang|tender diatur|lelang diatur",
        2.5: "vendor|pemborong|kontrak|spk|hps|ppk|proyek|pengadaan barang",
        1.0: "pemenang|anggaran|pembelian",
    },
    "perizinan": {
        3.0: "perizinan|izin usaha|ijin usaha|izin mendirikan bangunan|imb|pbg|siup|nib|oss|amdal|"
        "izin lingkungan|izin reklame|izin keramaian|ptsp|dpmptsp|pirt|slf|izin operasional|"
        "izin praktik|izin gangguan|ho",
        2.5: "izin|ijin|perijinan|tdp|sertifikat laik fungsi|reklame|rekomendasi teknis|situ|sku",
        1.0: "rekomendasi|usaha",
    },
    "dana_desa": {
        3.0: "dana desa|alokasi dana desa|add|apbdes|apbdesa|bumdes|kepala desa|perangkat desa|sekdes|"
        "sekretaris desa|musdes|blt dd|blt desa|bantuan langsung tunai dana desa|kas desa",
        2.5: "pemerintah desa|pemdes|balai desa|bpd|dd|aset desa|tanah kas desa|bengkok",
        1.5: "desa",
    },
    "bansos": {
        3.0: "bansos|bantuan sosial|blt|pkh|bpnt|kartu sembako|raskin|rastra|dtks|kpm|"
        "bantuan langsung tunai|pendamping pkh|e warong|ewarong|bst|rutilahu|bedah rumah|"
        "program keluarga harapan|bantuan pangan|penerima bantuan|dinas sosial|dinsos|prakerja",
        2.5: "sembako|kks|bantuan|sktm|keluarga miskin|warga miskin|masyarakat miskin|permakanan",
        1.5: "miskin|tidak mampu|beras|gakin|mbr",
    },
    "pendidikan": {
        3.0: "sekolah|kepala sekolah|guru|siswa|murid|ppdb|spmb|zonasi|dana bos|bos|komite sekolah|"
        "madrasah|pesantren|ponpes|dinas pendidikan|dispendik|disdik|beasiswa|kip kuliah|"
        "guru honorer|sdn|smpn|sman|smkn|smk|paud|tk|ijazah|rapor|raport|mahasiswa|dosen|"
        "universitas|kampus|pendidikan",
        2.5: "kip|pip|ujian|lks|seragam sekolah|uang gedung|wali murid|wali kelas|mts|mi|kuliah|"
        "sekolah negeri|sekolah swasta|pelajar",
        1.5: "seragam|nilai|kelas|belajar|les|buku",
    },
    "kesehatan": {
        3.0: "puskesmas|rsud|rumah sakit|bpjs kesehatan|jkn|kis|pasien|dokter|perawat|bidan|posyandu|"
        "klinik|apotek|obat|imunisasi|vaksin|vaksinasi|rawat inap|rawat jalan|igd|ugd|ambulans|"
        "ambulance|faskes|alkes|nakes|dinkes|dinas kesehatan|stunting|kesehatan|berobat|persalinan",
        2.5: "bpjs|rs|rujukan|covid|swab|pcr|gizi|sakit|dirawat|opname|isolasi|pengobatan",
        1.0: "sehat|medis",
    },
    "infrastruktur": {
        3.0: "jalan rusak|jalan berlubang|aspal|pengaspalan|jembatan|drainase|saluran air|gorong gorong|"
        "irigasi|bendungan|tanggul|trotoar|pju|lampu jalan|penerangan jalan|betonisasi|paving|"
        "pavingisasi|box culvert|pupr|bina marga|cipta karya|pembangunan jalan|perbaikan jalan|"
        "jalan berlumpur|jalan ambles|plengsengan|saluran|selokan|got|box",
        2.5: "jalan|konstruksi|renovasi|rehabilitasi|rehab|pembangunan|bangunan|gedung|pasar|taman|"
        "banjir|genangan|tambal|jalan kampung|gang|underpass|flyover|bozem|rumah pompa|pompa air|"
        "lampu",
        1.0: "rusak|berlubang|proyek|dibangun",
    },
    "adminduk": {
        3.0: "ktp|e ktp|ektp|kk|kartu keluarga|akta kelahiran|akte kelahiran|akta kematian|akte kematian|"
        "akta perceraian|akta perkawinan|dukcapil|disdukcapil|capil|dispendukcapil|kependudukan|"
        "adminduk|kia|kartu identitas anak|surat pindah|pindah domisili|perekaman|blanko|nik|"
        "pencatatan sipil|biodata|pecah kk|ktp el",
        2.5: "akta|akte|domisili|kartu penduduk|penduduk|pindah datang|surat keterangan domisili",
        1.0: "kelurahan|kecamatan|rt|rw|surat pengantar",
    },
    "pertanahan": {
        3.0: "sertifikat tanah|sertipikat tanah|bpn|atr|pertanahan|ptsl|prona|girik|letter c|petok d|"
        "petok|akta jual beli|ajb|ppat|sengketa tanah|batas tanah|shm|hgb|pembebasan lahan|mafia tanah|"
        "tanah|surat ijo|hak milik|balik nama sertifikat|pengukuran tanah|ganti rugi lahan",
        2.5: "sertifikat|sertipikat|lahan|kavling|kapling|balik nama|pengukuran|ganti rugi|waris|"
        "tanah warisan|tanah kosong|persil",
        1.0: "ukur|batas",
    },
    "pajak_bea_cukai": {
        3.0: "pajak|pbb|bphtb|npwp|kpp|djp|bea cukai|cukai|kepabeanan|wajib pajak|restitusi|bapenda|"
        "pajak daerah|pajak kendaraan|samsat|rokok ilegal|barang impor|impor|ekspor|fiskus|"
        "pajak bumi dan bangunan|pajak restoran|pajak hotel|pajak reklame|bea masuk",
        2.5: "retribusi|bea|barang kiriman|tagihan pajak|denda pajak|nop|sppt",
    },
    "bumn_bumd": {
        3.0: "bumn|bumd|pertamina|pln|pdam|ptpn|pelindo|angkasa pura|bulog|jasa marga|perumda|perusda|"
        "pos indonesia|pt pos|kai|kereta api|telkom|indihome|bank bri|bank bni|bank mandiri|bank btn|"
        "bank daerah|bank jatim|bank jambi|persero|pgn|perum|pt kai|damri|pelni",
        2.5: "bri|bni|btn|spbu|elpiji|lpg|gas|token listrik|listrik|air pdam|direksi|komisaris|"
        "anak perusahaan|meteran air|meteran listrik|tagihan air|tagihan listrik",
        1.0: "bank|tol",
    },
    "penegakan_hukum": {
        3.0: "polisi|polri|polsek|polres|polrestabes|polda|polantas|tilang|penyidik|penyidikan|jaksa|"
        "kejaksaan|kejari|kejati|hakim|pengadilan|lapas|rutan|sipir|napi|narapidana|propam|brimob|"
        "laporan polisi|mafia hukum|makelar kasus|markus|damai di tempat|satpol pp|satpol|"
        "kepolisian|reskrim|bareskrim|penyelidikan|tersangka",
        2.5: "razia|tahanan|penahanan|ditahan|ditangkap|penangkapan|sidang|perkara|advokat|pengacara|"
        "bap|sp3|tni|kodim|koramil|babinsa|bhabinkamtibmas|aparat|penertiban|ditertibkan|diamankan",
        1.5: "kasus|hukum|pidana|laporan saya|sim|stnk",
    },
    "kepegawaian": {
        3.0: "asn|pns|cpns|pppk|p3k|honorer|tenaga honorer|mutasi|rotasi jabatan|promosi jabatan|"
        "kenaikan pangkat|lelang jabatan|jual beli jabatan|bkd|bkpsdm|bkn|tpp|tunjangan kinerja|"
        "penerimaan pegawai|rekrutmen|formasi|seleksi pegawai|pegawai negeri|aparatur sipil negara|"
        "outsourcing|tenaga kontrak|pegawai kontrak",
        2.5: "pegawai|pangkat|golongan|tunjangan|gaji|honor|pensiun|pecat|dipecat|pemecatan|"
        "jabatan|atasan|kepegawaian|absensi|seleksi|lowongan",
        1.0: "karyawan|kerja|kantor",
    },
    "lingkungan": {
        3.0: "lingkungan hidup|pencemaran|tercemar|limbah|polusi|illegal logging|pembalakan|"
        "penebangan liar|tambang ilegal|galian c|reklamasi|dlh|dinas lingkungan hidup|amdal|"
        "air limbah|limbah b3|bau busuk|pencemaran udara|pencemaran sungai|asap pabrik|kebisingan|"
        "abrasi|mangrove|tpa|sampah menumpuk|pembakaran sampah|bakar sampah",
        2.5: "sampah|tps|asap|bau|penebangan|pohon|hutan|tambang|sungai|kali|satwa|bising|debu|"
        "kebersihan|limbah pabrik|pabrik",
        1.0: "kotor|kumuh",
    },
}


@dataclass(frozen=True, slots=True)
class _Lexicon:
    #: normalised n-gram -> ((key, weight, surface), ...)
    phrases: dict[tuple[str, ...], tuple[tuple[str, float, str], ...]]
    #: first token of an entry -> length of the longest entry starting with it
    starts: dict[str, int]
    #: (prefix, key, weight)
    prefixes: tuple[tuple[str, str, float], ...]


def _compile(terms: Mapping[str, Mapping[float, str]]) -> _Lexicon:
    phrases: dict[tuple[str, ...], dict[str, tuple[float, str]]] = {}
    prefixes: dict[tuple[str, str], float] = {}
    for key, by_weight in terms.items():
        for weight, joined in by_weight.items():
            for raw in joined.split("|"):
                entry = raw.strip()
                if not entry:
                    continue
                if entry.endswith("*"):
                    stem = normalize_text(entry[:-1])
                    if stem and " " not in stem:
                        prefixes[(stem, key)] = max(weight, prefixes.get((stem, key), 0.0))
                    continue
                toks = tuple(normalize_text(entry).split()[:_MAX_NGRAM])
                if not toks:
                    continue
                per_key = phrases.setdefault(toks, {})
                if weight > per_key.get(key, (0.0, ""))[0]:
                    per_key[key] = (weight, " ".join(toks))
    starts: dict[str, int] = {}
    for ngram in phrases:
        starts[ngram[0]] = max(starts.get(ngram[0], 0), len(ngram))
    return _Lexicon(
        phrases={
            ngram: tuple((k, w, s) for k, (w, s) in sorted(per_key.items()))
            for ngram, per_key in phrases.items()
        },
        starts=starts,
        prefixes=tuple((stem, key, w) for (stem, key), w in sorted(prefixes.items())),
    )


@lru_cache(maxsize=1)
def _lexicons() -> tuple[_Lexicon, _Lexicon]:
    return _compile(_CATEGORY_TERMS), _compile(_SECTOR_TERMS)


# An offence said not to be there: "tidak ada pungli", "bukan suap", "zona bebas pungli", "tim saber pungli".
_NEGATING = frozenset({"bukan", "tanpa", "bebas", "anti", "saber", "antikorupsi"})
_NEGATING_PAIRS = frozenset({("tidak", "ada"), ("tak", "ada"), ("belum", "ada"), ("bukan", "karena")})


def _negated(toks: Sequence[str], i: int) -> bool:
    return (i > 0 and toks[i - 1] in _NEGATING) or (i > 1 and (toks[i - 2], toks[i - 1]) in _NEGATING_PAIRS)


def _match(toks: Sequence[str], lex: _Lexicon) -> dict[str, dict[str, float]]:
    """key -> {evidence surface: weight}; each distinct entry counts once, an offence said not to be
    there not at all."""
    found: dict[str, dict[str, float]] = {}
    n = len(toks)
    phrases, starts, prefixes = lex.phrases, lex.starts, lex.prefixes
    for i, tok in enumerate(toks):
        longest = starts.get(tok)
        if longest:
            negated = _negated(toks, i)
            for length in range(1, min(longest, n - i) + 1):
                hits = phrases.get(tuple(toks[i:i + length]))
                if hits:
                    for key, weight, surface in hits:
                        if negated and key in _OFFENCE_CATEGORIES:
                            continue
                        ev = found.setdefault(key, {})
                        if weight > ev.get(surface, 0.0):
                            ev[surface] = weight
    if prefixes:
        for tok in set(toks):
            for stem, key, weight in prefixes:
                if tok.startswith(stem) and len(tok) > len(stem):
                    ev = found.setdefault(key, {})
                    if weight > ev.get(tok, 0.0):
                        ev[tok] = weight
    return found


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """What the lexicons found in one normalised text."""

    category_scores: dict[str, float]
    category_evidence: dict[str, tuple[str, ...]]
    sector_scores: dict[str, float]
    sector_evidence: dict[str, tuple[str, ...]]
    #: The weight of the strongest word found for each category.
    category_strongest: dict[str, float] = field(default_factory=dict)

    def category_probabilities(self) -> dict[str, float]:
        """Softmax of the category scores (with the default-category prior, and symptoms counted
        at a share when an offence is named), over CATEGORY_KEYS."""
        offence = any(self.category_strongest.get(k, 0.0) >= _OFFENCE_WEIGHT for k in _OFFENCE_CATEGORIES)
        decisive = any(self.category_strongest.get(k, 0.0) >= _DECISIVE_WEIGHT for k in _OFFENCE_CATEGORIES)
        logits = {
            k: _RULE_TEMPERATURE * self.category_scores.get(k, 0.0)
            * (_SYMPTOM_SHARE if (offence and k in _SYMPTOM_CATEGORIES)
               or (decisive and k in _YIELDS_TO_OFFENCE) else 1.0)
            + _RULE_PRIOR.get(k, 0.0)
            for k in CATEGORY_KEYS
        }
        top = max(logits.values())
        exp = {k: math.exp(v - top) for k, v in logits.items()}
        total = sum(exp.values())
        return {k: v / total for k, v in exp.items()}

    def sectors(self) -> tuple[tuple[str, float, tuple[str, ...]], ...]:
        out = [
            (k, round(1.0 - math.exp(-s / 3.0), 4), self.sector_evidence[k])
            for k, s in self.sector_scores.items()
            if s >= _SECTOR_MIN_SCORE
        ]
        out.sort(key=lambda item: (-item[1], SECTOR_KEYS.index(item[0])))
        return tuple(out[:_MAX_SECTORS])

    def feature_vector(self) -> np.ndarray:
        """Rule scores as model features: log1p(score) / 2 for every category, then every sector."""
        vals = [self.category_scores.get(k, 0.0) for k in CATEGORY_KEYS]
        vals += [self.sector_scores.get(k, 0.0) for k in SECTOR_KEYS]
        return np.log1p(np.asarray(vals, dtype=np.float64)) / 2.0


def _summarise(found: dict[str, dict[str, float]], *, rest: float = 1.0,
               ) -> tuple[dict[str, float], dict[str, tuple[str, ...]]]:
    """Scores and evidence per key: the strongest word's weight plus ``rest`` times the others'."""
    scores: dict[str, float] = {}
    evidence: dict[str, tuple[str, ...]] = {}
    for key, ev in found.items():
        top = max(ev.values(), default=0.0)
        scores[key] = float(top + rest * (sum(ev.values()) - top))
        ordered = sorted(ev.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
        clear = [s for s, weight in ordered if weight >= _CLEAR_EVIDENCE]
        evidence[key] = tuple((clear or [s for s, _ in ordered])[:_MAX_EVIDENCE])
    return scores, evidence


# A street address ("jalan raya natar no 45", "gang 4") says where, not what: its "jalan" or "gang"
# is not a road the report is about, so it is no evidence of a public-works complaint or sector.
_ADDRESS_HEADS = frozenset({"jalan", "gang"})
_ADDRESS_FILLERS = frozenset({"no", "nomor", "nomer", "raya"})
_ADDRESS_NUMBER_RE = re.compile(r"\d{1,4}[a-z]?")
_MAX_STREET_NAME = 3  # words between "jalan" and its number
_MASKED = "\u2205"  # matches no lexicon entry, and keeps n-grams from joining across it


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    return frozenset(tok for lex in _lexicons() for phrase in lex.phrases for tok in phrase)


def _without_addresses(toks: Sequence[str]) -> list[str]:
    """``toks`` with the head word of each street address masked: "jalan" followed by a name of at
    most three words that are no lexicon words (so "jalan rusak no 5" stays) and a house number,
    or "gang" followed by its number."""
    words = _lexicon_words()
    out = list(toks)
    for i, tok in enumerate(toks):
        if tok not in _ADDRESS_HEADS:
            continue
        for j in range(i + 1, min(len(toks), i + 2 + _MAX_STREET_NAME)):
            if _ADDRESS_NUMBER_RE.fullmatch(toks[j]):
                if j > i + 1 or tok == "gang":
                    out[i] = _MASKED
                break
            if toks[j] in words and toks[j] not in _ADDRESS_FILLERS:
                break
    return out


# Money or a gift changing hands *so that* something is done is a bribe (art. 5, 12a-b), not a
# gratification (art. 12B, a gift for the office with no act asked in return): "camat menerima uang
# agar pemenang tender diatur".  Paying a demanded fee ("diminta memberikan uang agar ...") is left
# to the extortion and levy words: a hand-over asked for is not counted.
_HANDING_VERBS = frozenset({
    "menerima", "terima", "diterima", "nerima", "diberi", "diberikan", "memberi", "memberikan", "kasih",
    "dikasih", "ngasih", "menyerahkan", "diserahkan", "mendapat", "mendapatkan", "transfer",
    "mentransfer", "ditransfer", "menitipkan", "dititipi",
})
_HANDED_THINGS = frozenset({"uang", "duit", "rp", "hadiah", "imbalan", "amplop", "fee", "mobil", "rumah",
                            "tanah", "emas", "motor", "sejumlah"})
_PURPOSE_WORDS = frozenset({"agar", "supaya", "biar", "spy", "agr", "asalkan"})
_DEMAND_WORDS = frozenset({"diminta", "dimintai", "minta", "meminta", "dipaksa", "disuruh", "harus", "wajib"})
_REFUSAL_WORDS = frozenset({"tidak", "tak", "belum", "bukan", "menolak", "enggan", "jangan", "ogah"})
_SENTENCE_END = re.compile(r"[.!?;]+(?:\s+|$)|\n+")
_CLAUSE_BREAKS = frozenset({"lalu", "kemudian", "tetapi", "tapi", "namun", "sedangkan", "karena", "padahal"})
_THING_WINDOW = 4  # words from the verb to the money or gift
_PURPOSE_WINDOW = 10  # words from the money or gift to "agar", within one clause
# Above one clear word: the sentence says what the money was for.
_QUID_PRO_QUO_WEIGHT = 3.5


def _quid_pro_quo(toks: Sequence[str]) -> str | None:
    """The words of a hand-over followed by its purpose ("menerima uang agar"), or None."""
    n = len(toks)
    for i, tok in enumerate(toks):
        if tok not in _HANDING_VERBS:
            continue
        before = toks[max(0, i - 3) : i]
        if any(t in _DEMAND_WORDS or t in _REFUSAL_WORDS for t in before):  # asked for, or refused
            continue
        for j in range(i + 1, min(n, i + 1 + _THING_WINDOW)):
            if toks[j] in _HANDED_THINGS or toks[j].isdigit():
                for k in range(j + 1, min(n, j + 1 + _PURPOSE_WINDOW)):
                    if toks[k] in _PURPOSE_WORDS:
                        gap = " " if k == j + 1 else " \u2026 "
                        return f"{tok} {toks[j]}{gap}{toks[k]}"
                    if toks[k] in _CLAUSE_BREAKS:
                        break
                break
    return None


def _quid_pro_quo_in_one_sentence(text: str) -> str | None:
    """`_quid_pro_quo` read sentence by sentence: "... menerima uang. Agar jelas, ..." is none."""
    for sentence in _SENTENCE_END.split(text):
        found = _quid_pro_quo(_normalise(sentence).split())
        if found:
            return found
    return None


# A sum demanded ("minta 200 ribu", "nyuruh warga bayar 15 juta", "dimintai rp 50 ribu") is a levy even
# when no word for money stands there; the reporter's own request ("saya minta 200 ribu kembali") is not.
# A demand under threat stays with the extortion words ("diancam", "kalau tidak setor").
_DEMANDING = frozenset({"minta", "meminta", "nyuruh", "menyuruh", "suruh", "narik", "menarik"})
_DEMANDED = frozenset({"diminta", "dimintai", "disuruh", "ditarik", "dipungut", "dikenai",
                       "dikenakan", "ditarif"})
_FIRST_PERSON = frozenset({"saya", "sy", "aku", "kami", "gue", "gw", "sya", "warga", "masyarakat"})
_DEMAND_FILLERS = frozenset({"bayaran", "bayar", "membayar", "uang", "duit", "biaya", "sebesar", "warga",
                             "kami", "saya", "sy", "rp", "ke", "kepada", "sopir", "pedagang", "orang",
                             "tua", "wali", "murid", "siswa", "sekitar", "kurang", "lebih", "tiap", "setiap"})
_SUM_WORDS = frozenset({"ribu", "juta", "miliar", "rb", "jt"})
# "kepala sekolah kami minta ...", "saya melaporkan lurah minta ...": the official demands
_OFFICIAL_WORDS = frozenset({
    "kepala", "sekolah", "lurah", "kades", "camat", "petugas", "pegawai", "oknum", "polisi", "guru",
    "pejabat", "bapak", "ibu", "pak", "bu", "staf", "dinas", "kepsek", "satpam", "perangkat", "sekdes",
    "ketua", "panitia", "pengurus", "asn", "pns",
})
_NOT_DEMANDS = frozenset({"kembali", "dikembalikan", "balik", "refund", "maaf", "tolong", "bantuan"})
_DEMAND_WEIGHT = 2.5


def _money_demanded(toks: Sequence[str]) -> str | None:
    """The words of a sum demanded by someone, or None."""
    n = len(toks)
    for i, tok in enumerate(toks):
        passive = tok in _DEMANDED
        if not (passive or tok in _DEMANDING):
            continue
        before = toks[max(0, i - 3) : i]
        if not passive and _FIRST_PERSON.intersection(before) and not _OFFICIAL_WORDS.intersection(before):
            continue  # "kami warga desa meminta rp 200 juta dari dana desa": citizens asking
        for j in range(i + 1, min(n, i + 5)):
            word = toks[j]
            if word.isdigit() and j + 1 < n and toks[j + 1] in _SUM_WORDS:
                if j + 2 < n and toks[j + 2] in _NOT_DEMANDS:
                    break
                return " ".join(toks[i : j + 2])
            if word not in _DEMAND_FILLERS:
                break
    return None


def _rules_from_tokens(toks: Sequence[str], text: str | None = None) -> RuleMatch:
    """The lexicons' findings in normalised tokens; with the text they came from, a hand-over and its
    purpose must also stand in one sentence (the tokens have lost the full stops)."""
    cat_lex, sec_lex = _lexicons()
    toks = _without_addresses(toks)
    found = _match(toks, cat_lex)
    bribe = _quid_pro_quo(toks)
    if bribe and text is not None:
        bribe = _quid_pro_quo_in_one_sentence(text)
    if bribe:  # the gift words are evidence of the bribe they are part of
        suap = found.setdefault("suap", {})
        suap[bribe] = max(suap.get(bribe, 0.0), _QUID_PRO_QUO_WEIGHT)
        for surface, weight in found.pop("gratifikasi", {}).items():
            suap[surface] = max(suap.get(surface, 0.0), weight)
    demand = _money_demanded(toks)
    if demand:
        pungli = found.setdefault("pungli", {})
        pungli[demand] = max(pungli.get(demand, 0.0), _DEMAND_WEIGHT)
    cat_scores, cat_ev = _summarise(found, rest=_CATEGORY_REST)
    sec_scores, sec_ev = _summarise(_match(toks, sec_lex))
    strongest = {key: max(ev.values()) for key, ev in found.items() if ev}
    return RuleMatch(cat_scores, cat_ev, sec_scores, sec_ev, strongest)


def _clean(text: object) -> str:
    if isinstance(text, bytes | bytearray):
        text = bytes(text[: MAX_CHARS * 4]).decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = "" if text is None else str(text)
    return text[:MAX_CHARS].replace("\\n", " ")


def _normalise(text: object) -> str:
    return normalize_text(_clean(text))


def match_rules(text: str) -> RuleMatch:
    """Run the category and sector lexicons on ``text`` (normalised here)."""
    return _rules_from_tokens(_normalise(text).split(), _clean(text))


# ----------------------------------------------------------------------------------------------
# Classification
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Classification:
    #: Category key (a taxonomy key, or the model's label when a model with its own labels is used).
    category: str
    #: Probability of ``category``, 0..1.
    confidence: float
    #: Matched words / phrases (normalised) that explain ``category``; may be empty when nothing matched.
    evidence: tuple[str, ...]
    #: Next best (key, confidence), best first.
    alternatives: tuple[tuple[str, float], ...]
    #: (sector key, confidence, evidence words), best first.
    sectors: tuple[tuple[str, float, tuple[str, ...]], ...]
    #: "rules" or "model".
    source: str = "rules"


def _ranked(probs: Mapping[str, float], order: Sequence[str]) -> list[tuple[str, float]]:
    position = {k: i for i, k in enumerate(order)}
    return sorted(probs.items(), key=lambda item: (-item[1], position.get(item[0], len(order))))


def classify(text: str, *, model: Model | None = None) -> Classification:
    """Category and sectors of one report text. Never raises on odd input (empty, emoji, binary)."""
    norm = _normalise(text)
    rules = _rules_from_tokens(norm.split(), _clean(text))
    sectors = rules.sectors()
    if model is None:
        ranked = _ranked(rules.category_probabilities(), CATEGORY_KEYS)
        best, conf = ranked[0]
        return Classification(
            category=best,
            confidence=round(conf, 4),
            evidence=rules.category_evidence.get(best, ()),
            alternatives=tuple((k, round(p, 4)) for k, p in ranked[1:1 + _MAX_ALTERNATIVES]),
            sectors=sectors,
            source="rules",
        )
    proba, x_word = model._predict_norm([norm], [rules])
    probs = {c: float(p) for c, p in zip(model.classes, proba[0])}
    ranked = _ranked(probs, model.classes)
    best, conf = ranked[0]
    evidence = rules.category_evidence.get(best, ())
    if not evidence:
        evidence = model._top_word_features(x_word, model.classes.index(best))
    return Classification(
        category=best,
        confidence=round(conf, 4),
        evidence=evidence,
        alternatives=tuple((k, round(p, 4)) for k, p in ranked[1:1 + _MAX_ALTERNATIVES]),
        sectors=sectors,
        source="model",
    )


# ----------------------------------------------------------------------------------------------
# Features and the trained model
# ----------------------------------------------------------------------------------------------

_WORD_NGRAMS = (1, 2)
_CHAR_NGRAMS = (3, 5)
_N_RULE_FEATURES = len(CATEGORY_KEYS) + len(SECTOR_KEYS)


def _word_features(toks: Sequence[str]) -> Counter[str]:
    counts: Counter[str] = Counter(toks)
    counts.update(f"{a} {b}" for a, b in zip(toks, toks[1:]))
    return counts


@lru_cache(maxsize=200_000)
def _token_char_ngrams(tok: str) -> tuple[str, ...]:
    padded = f" {tok} "
    size = len(padded)
    lo, hi = _CHAR_NGRAMS
    return tuple(padded[i:i + n] for n in range(lo, min(hi, size) + 1) for i in range(size - n + 1))


def _char_features(toks: Sequence[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for tok, times in Counter(toks).items():
        grams = _token_char_ngrams(tok)
        if times == 1:
            counts.update(grams)
        else:
            for g in grams:
                counts[g] += times
    return counts


def _build_vocab(
    counters: Sequence[Counter[str]], min_df: int, max_features: int
) -> tuple[list[str], np.ndarray]:
    df: Counter[str] = Counter()
    for c in counters:
        df.update(c.keys())
    items = [(f, d) for f, d in df.items() if d >= min_df]
    items.sort(key=lambda item: (-item[1], item[0]))
    items = items[:max_features]
    items.sort(key=lambda item: item[0])
    n_docs = len(counters)
    vocab = [f for f, _ in items]
    dfs = np.asarray([d for _, d in items], dtype=np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + dfs)) + 1.0
    return vocab, idf


def _tfidf(counters: Sequence[Counter[str]], index: Mapping[str, int], idf: np.ndarray) -> sp.csr_matrix:
    """Sublinear tf * idf, rows L2-normalised; features outside ``index`` are ignored."""
    indptr = [0]
    indices: list[int] = []
    counts: list[int] = []
    get = index.get
    for c in counters:
        for f, n in c.items():
            j = get(f)
            if j is not None:
                indices.append(j)
                counts.append(n)
        indptr.append(len(indices))
    cols = np.asarray(indices, dtype=np.int64)
    data = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[cols] if len(cols) else np.zeros(0)
    ptr = np.asarray(indptr, dtype=np.int64)
    lengths = ptr[1:] - ptr[:-1]
    rows = np.repeat(np.arange(len(counters)), lengths)
    row_sq = np.bincount(rows, weights=data * data, minlength=len(counters))
    norms = np.sqrt(row_sq)
    norms[norms == 0.0] = 1.0
    data = data / np.repeat(norms, lengths)
    return sp.csr_matrix((data, cols, ptr), shape=(len(counters), len(index)))


def _rule_block(rules: Sequence[RuleMatch]) -> sp.csr_matrix:
    if not rules:
        return sp.csr_matrix((0, _N_RULE_FEATURES))
    return sp.csr_matrix(np.vstack([r.feature_vector() for r in rules]))


class Model:
    """A trained linear classifier over word + char TF-IDF and rule scores. Build with ``train``."""

    def __init__(
        self,
        *,
        kind: str,
        classes: Sequence[str],
        word_vocab: Sequence[str],
        word_idf: np.ndarray,
        char_vocab: Sequence[str],
        char_idf: np.ndarray,
        coef: np.ndarray,
        intercept: np.ndarray,
        params: Mapping[str, Any],
    ) -> None:
        self.kind = kind
        self.classes: tuple[str, ...] = tuple(classes)
        self.word_vocab: tuple[str, ...] = tuple(word_vocab)
        self.char_vocab: tuple[str, ...] = tuple(char_vocab)
        self.word_idf = np.asarray(word_idf, dtype=np.float64)
        self.char_idf = np.asarray(char_idf, dtype=np.float64)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.params: dict[str, Any] = dict(params)
        n_features = len(self.word_vocab) + len(self.char_vocab) + _N_RULE_FEATURES
        if len(self.classes) < 2 or len(set(self.classes)) != len(self.classes):
            raise ValueError("a model needs at least two distinct classes")
        if self.word_idf.shape != (len(self.word_vocab),) or self.char_idf.shape != (len(self.char_vocab),):
            raise ValueError("idf does not match the vocabulary")
        if self.coef.shape != (len(self.classes), n_features) or self.intercept.shape != (len(self.classes),):
            raise ValueError("coefficients do not match classes and features")
        if not (np.all(np.isfinite(self.coef)) and np.all(np.isfinite(self.intercept))):
            raise ValueError("non-finite coefficients")
        self._coef_t = np.ascontiguousarray(self.coef.T, dtype=np.float64)
        self._word_index = {f: i for i, f in enumerate(self.word_vocab)}
        self._char_index = {f: i for i, f in enumerate(self.char_vocab)}

    def __repr__(self) -> str:
        return (
            f"Model(kind={self.kind!r}, classes={len(self.classes)}, "
            f"features={len(self.word_vocab)}+{len(self.char_vocab)}+{_N_RULE_FEATURES})"
        )

    # -- features --------------------------------------------------------------------------

    @property
    def uses_rule_features(self) -> bool:
        return bool(self.params.get("rule_features", True))

    def _features(self, norms: Sequence[str], rules: Sequence[RuleMatch] | None = None) -> tuple[Any, Any]:
        toks = [n.split() for n in norms]
        x_word = _tfidf([_word_features(t) for t in toks], self._word_index, self.word_idf)
        x_char = _tfidf([_char_features(t) for t in toks], self._char_index, self.char_idf)
        if self.uses_rule_features:
            if rules is None:
                rules = [_rules_from_tokens(t) for t in toks]
            x_rule = _rule_block(rules)
        else:
            x_rule = sp.csr_matrix((len(toks), _N_RULE_FEATURES))
        return sp.hstack([x_word, x_char, x_rule], format="csr"), x_word

    def _predict_norm(
        self, norms: Sequence[str], rules: Sequence[RuleMatch] | None = None
    ) -> tuple[Any, Any]:
        x, x_word = self._features(norms, rules)
        logits = np.asarray(x @ self._coef_t) + self.intercept.astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True), x_word

    def _top_word_features(self, x_word: Any, k: int, limit: int = 5) -> tuple[str, ...]:
        row = sp.csr_matrix(x_word)[0]
        if row.nnz == 0:
            return ()
        weights = self.coef[k, : len(self.word_vocab)]
        contrib = row.data * weights[row.indices]
        order = np.argsort(-contrib, kind="stable")
        return tuple(self.word_vocab[row.indices[i]] for i in order[:limit] if contrib[i] > 0)

    # -- public ----------------------------------------------------------------------------

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """(n_texts, n_classes) probabilities, columns in ``self.classes`` order."""
        if not texts:
            return np.zeros((0, len(self.classes)))
        proba, _ = self._predict_norm([_normalise(t) for t in texts])
        return np.asarray(proba)

    def predict(self, texts: Sequence[str]) -> list[str]:
        proba = self.predict_proba(texts)
        return [self.classes[i] for i in np.argmax(proba, axis=1)] if len(proba) else []

    def to_bytes(self) -> bytes:
        """Compressed npz: float arrays + one UTF-8 JSON document. Safe to load (no pickle)."""
        meta = {
            "format": _FORMAT,
            "kind": self.kind,
            "classes": list(self.classes),
            "word_vocab": list(self.word_vocab),
            "char_vocab": list(self.char_vocab),
            "categories": list(CATEGORY_KEYS),
            "sectors": list(SECTOR_KEYS),
            "params": self.params,
        }
        buf = io.BytesIO()
        np.savez_compressed(
            buf,
            meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
            word_idf=self.word_idf,
            char_idf=self.char_idf,
            coef=self.coef,
            intercept=self.intercept,
        )
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Model:
        """Load what ``to_bytes`` wrote; ValueError on anything else."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                arrays = {name: npz[name] for name in ("meta", "word_idf", "char_idf", "coef", "intercept")}
            meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        except (OSError, KeyError, ValueError, UnicodeDecodeError, EOFError) as exc:
            raise ValueError(f"not a SIGAP classifier model: {exc}") from exc
        if not isinstance(meta, dict) or meta.get("format") != _FORMAT:
            raise ValueError("not a SIGAP classifier model (format)")
        if meta.get("categories") != list(CATEGORY_KEYS) or meta.get("sectors") != list(SECTOR_KEYS):
            raise ValueError("model was trained with another taxonomy; retrain it")
        for name in ("classes", "word_vocab", "char_vocab"):
            value = meta.get(name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"bad {name}")
        for name in ("word_idf", "char_idf", "coef", "intercept"):
            if arrays[name].dtype.kind != "f":
                raise ValueError(f"bad {name} dtype")
        return cls(
            kind=str(meta.get("kind", "category")),
            classes=meta["classes"],
            word_vocab=meta["word_vocab"],
            word_idf=arrays["word_idf"],
            char_vocab=meta["char_vocab"],
            char_idf=arrays["char_idf"],
            coef=arrays["coef"],
            intercept=arrays["intercept"],
            params=meta.get("params") or {},
        )


#: Coefficients (classes x features) a model may have. The solver keeps about twenty vectors of
#: that size, so memory grows with it: 194 classes of 180,000 features each took 6-7 GB. Past
#: it, each class gets fewer features (word and character grams alike).
PARAMETER_BUDGET = 6_000_000


def _features_within_budget(n_classes: int, *limits: int) -> tuple[int, ...]:
    room = PARAMETER_BUDGET // max(n_classes, 1)
    total = sum(limits)
    if total <= room:
        return limits
    return tuple(max(1_000, limit * room // total) for limit in limits)


def train(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    kind: str = "category",
    C: float = 20.0,
    balanced: bool = True,
    max_word_features: int = 60_000,
    max_char_features: int = 120_000,
    rule_features: bool | None = None,
) -> Model:
    """Fit word 1-2 gram + char 3-5 gram TF-IDF + rule scores -> multinomial logistic regression.

    ``C=20`` was chosen on a validation split carved out of the *training* part of the benchmark
    data (bench/bench_classify.py; C in 2, 5, 10, 20: macro-F1 rose slowly with C on both tasks).
    ``balanced`` weights classes inversely to their frequency, which is what macro-F1 rewards and
    what an agency with a few rare units wants. ``kind`` names the label space (stored, not used).

    ``rule_features``: feed the rule scores to the model. ``None`` (default) turns them on when
    every label is a taxonomy category key (the lexicons speak about exactly those classes, and
    they carry knowledge of synonyms the training set may lack) and off for other label spaces
    (an agency's own units): on the benchmark routing tasks they cost 0.5-2 macro-F1 points.
    The rules still give evidence and sectors in ``classify`` either way.
    """
    from sklearn.linear_model import LogisticRegression

    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    labels = [str(label) for label in labels]
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("training needs at least two classes")
    norms = [_normalise(t) for t in texts]
    toks = [n.split() for n in norms]
    use_rules = all(c in CATEGORY_KEYS for c in classes) if rule_features is None else rule_features
    max_word_features, max_char_features = _features_within_budget(
        len(classes), max_word_features, max_char_features
    )
    word_c = [_word_features(t) for t in toks]
    char_c = [_char_features(t) for t in toks]
    min_df = 2 if len(texts) >= 50 else 1
    word_vocab, word_idf = _build_vocab(word_c, min_df, max_word_features)
    char_vocab, char_idf = _build_vocab(char_c, min_df, max_char_features)
    x = sp.hstack(
        [
            _tfidf(word_c, {f: i for i, f in enumerate(word_vocab)}, word_idf),
            _tfidf(char_c, {f: i for i, f in enumerate(char_vocab)}, char_idf),
            _rule_block([_rules_from_tokens(t) for t in toks]) if use_rules
            else sp.csr_matrix((len(toks), _N_RULE_FEATURES)),
        ],
        format="csr",
    )
    clf = LogisticRegression(C=C, class_weight="balanced" if balanced else None, max_iter=3000, tol=1e-4)
    clf.fit(x, labels)
    fitted = [str(c) for c in clf.classes_]
    coef = np.asarray(clf.coef_, dtype=np.float64)
    intercept = np.asarray(clf.intercept_, dtype=np.float64)
    if len(fitted) == 2 and coef.shape[0] == 1:  # binary: sigmoid(z) == softmax([-z/2, z/2])
        coef = np.vstack([-coef[0] / 2.0, coef[0] / 2.0])
        intercept = np.asarray([-intercept[0] / 2.0, intercept[0] / 2.0])
    return Model(
        kind=kind,
        classes=fitted,
        word_vocab=word_vocab,
        word_idf=word_idf,
        char_vocab=char_vocab,
        char_idf=char_idf,
        coef=coef,
        intercept=intercept,
        params={
            "C": C, "balanced": balanced, "n_train": len(texts), "min_df": min_df, "rule_features": use_rules,
        },
    )


# ----------------------------------------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class SystemScores:
    name: str
    macro_f1: float
    accuracy: float
    per_class: tuple[ClassScore, ...]
    train_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    labels: tuple[str, ...]
    n_train: int
    n_test: int
    ours: SystemScores
    baseline: SystemScores
    #: Input lines/items skipped (no text or no label) by ``evaluate_jsonl``.
    skipped: int = 0
    #: Classes with fewer than two items: used for training only, not scored.
    train_only_labels: tuple[str, ...] = field(default=())
    #: Rules alone (no training), only when every label is a taxonomy category key.
    rules_only: SystemScores | None = None
    #: Why lines were skipped: (reason, count), by ``evaluate_jsonl``.
    skip_reasons: tuple[tuple[str, int], ...] = ()
    #: Labels written otherwise (case, spaces) that were read as one: (as read, written otherwise).
    merged_spellings: tuple[tuple[str, str], ...] = ()

    def format_table(self) -> str:
        width = max([len("class"), *(len(label) for label in self.labels)])
        width = min(width, 48)
        head = f"{'class':<{width}}  {'support':>7}  {'P ours':>6} {'R ours':>6} {'F1 ours':>7}  " \
               f"{'P base':>6} {'R base':>6} {'F1 base':>7}"
        lines = [
            f"train {self.n_train}, test {self.n_test}, classes {len(self.labels)}"
            + (f", skipped {self.skipped}" if self.skipped else ""),
            head,
            "-" * len(head),
        ]
        base = {c.label: c for c in self.baseline.per_class}
        for c in self.ours.per_class:
            b = base[c.label]
            lines.append(
                f"{c.label[:width]:<{width}}  {c.support:>7}  "
                f"{c.precision:>6.3f} {c.recall:>6.3f} {c.f1:>7.3f}  "
                f"{b.precision:>6.3f} {b.recall:>6.3f} {b.f1:>7.3f}"
            )
        lines.append("-" * len(head))
        for s in (self.ours, self.baseline, *((self.rules_only,) if self.rules_only else ())):
            lines.append(
                f"{s.name}: macro-F1 {s.macro_f1:.4f}  accuracy {s.accuracy:.4f}  "
                f"train+predict {s.train_seconds:.1f}s"
            )
        if self.skip_reasons:
            lines.append("skipped: " + "; ".join(f"{n} {reason}" for reason, n in self.skip_reasons))
        if self.train_only_labels:
            only = self.train_only_labels
            shown = ", ".join(only[:10]) + (", ..." if len(only) > 10 else "")
            lines.append(f"{len(only)} class(es) with one item, trained on but not scored: {shown}")
        if self.merged_spellings:
            shown = ", ".join(f"{b!r} as {a!r}" for a, b in self.merged_spellings[:10])
            lines.append(f"labels differing only in case or spaces read as one: {shown}")
        if len(self.labels) < 2:
            lines.append("warning: only one class is scored; macro-F1 says little")
        return "\n".join(lines)


def _stratified_split(
    labels: Sequence[str], test_size: float, seed: int
) -> tuple[list[int], list[int], tuple[str, ...]]:
    by_label: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(label, []).append(i)
    rng = random.Random(seed)
    train_idx: list[int] = []
    test_idx: list[int] = []
    train_only: list[str] = []
    for label in sorted(by_label):
        idx = by_label[label]
        rng.shuffle(idx)
        if len(idx) < 2:
            train_only.append(label)
            train_idx.extend(idx)
            continue
        n_test = min(len(idx) - 1, max(1, round(len(idx) * test_size)))
        test_idx.extend(idx[:n_test])
        train_idx.extend(idx[n_test:])
    return sorted(train_idx), sorted(test_idx), tuple(train_only)


def _scores(
    name: str, y_true: Sequence[str], y_pred: Sequence[str], labels: Sequence[str], secs: float
) -> SystemScores:
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(labels), zero_division=0)
    per_class = tuple(
        ClassScore(label, float(p[i]), float(r[i]), float(f[i]), int(s[i])) for i, label in enumerate(labels)
    )
    accuracy = sum(a == b for a, b in zip(y_true, y_pred)) / len(y_true) if y_true else 0.0
    macro = float(np.mean(f)) if len(f) else 0.0
    return SystemScores(name, macro, accuracy, per_class, secs)


def _baseline_predict(
    train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str]
) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    # Bounded as our model is (PARAMETER_BUDGET): with many classes the default solver's memory
    # otherwise grows past 10 GB.
    (limit,) = _features_within_budget(len(set(train_labels)), 1_000_000)
    vec = TfidfVectorizer(ngram_range=(1, 2), max_features=limit)
    x = vec.fit_transform([_clean(t) for t in train_texts])
    clf = LogisticRegression(max_iter=1000)
    clf.fit(x, list(train_labels))
    return [str(p) for p in clf.predict(vec.transform([_clean(t) for t in test_texts]))]


def evaluate(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    test_size: float = 0.2,
    seed: int = 0,
    kind: str = "category",
    **train_options: Any,
) -> EvaluationReport:
    """Stratified split; our model (``train``) vs. a plain word TF-IDF + LogisticRegression baseline."""
    if len(texts) != len(labels):
        raise ValueError("texts and labels differ in length")
    if not 0.0 < test_size < 1.0:
        raise ValueError("test_size must be between 0 and 1")
    labels = [str(label) for label in labels]
    train_idx, test_idx, train_only = _stratified_split(labels, test_size, seed)
    scored = tuple(sorted({labels[i] for i in test_idx}))
    if len({labels[i] for i in train_idx}) < 2 or not test_idx:
        raise ValueError("evaluation needs at least two classes with two items each")
    tr_x = [texts[i] for i in train_idx]
    tr_y = [labels[i] for i in train_idx]
    te_x = [texts[i] for i in test_idx]
    te_y = [labels[i] for i in test_idx]

    start = time.perf_counter()
    model = train(tr_x, tr_y, kind=kind, **train_options)
    ours_pred = model.predict(te_x)
    ours_secs = time.perf_counter() - start

    start = time.perf_counter()
    base_pred = _baseline_predict(tr_x, tr_y, te_x)
    base_secs = time.perf_counter() - start

    rules_only = None
    if all(label in CATEGORY_KEYS for label in labels):
        start = time.perf_counter()
        rule_pred = [classify(t).category for t in te_x]
        rules_only = _scores("rules only (zero-shot)", te_y, rule_pred, scored, time.perf_counter() - start)
    return EvaluationReport(
        labels=scored,
        n_train=len(train_idx),
        n_test=len(test_idx),
        ours=_scores(
            "ours (word+char TF-IDF" + (" + rule scores" if model.uses_rule_features else "") + " + LR)",
            te_y, ours_pred, scored, ours_secs,
        ),
        baseline=_scores("baseline (word 1-2 TF-IDF + LR)", te_y, base_pred, scored, base_secs),
        train_only_labels=train_only,
        rules_only=rules_only,
    )


@dataclass
class _LabelledLines:
    texts: list[str]
    labels: list[str]
    skipped: Counter[str]
    merged: dict[tuple[str, str], None]


def _read_jsonl(path: str | Path, label_field: str, text_field: str) -> _LabelledLines:
    """Texts and labels of a JSON-lines file. A label is read without regard to case and spaces
    ("Fisik", " FISIK " and "fisik" are one class, named as first written); a line without a text
    or a label is skipped and counted by reason."""
    read = _LabelledLines([], [], Counter(), {})
    names: dict[str, str] = {}
    for _, item in read_objects(path):
        if item is None:
            read.skipped["not a JSON object"] += 1
            continue
        label = item.get(label_field)
        if label_field not in item or label is None:
            read.skipped[f"without the label field {label_field!r}"] += 1
            continue
        if isinstance(label, bool) or not isinstance(label, str | int):
            read.skipped["with a label that is not a string or an integer"] += 1
            continue
        written = " ".join(str(label).split())
        if not written:
            read.skipped["with an empty label"] += 1
            continue
        text = text_of(item, text_field)
        if not text.strip():
            read.skipped["without a text"] += 1
            continue
        name = names.setdefault(written.casefold(), written)
        if name != written:
            read.merged[(name, written)] = None
        read.texts.append(text)
        read.labels.append(name)
    return read


def evaluate_jsonl(
    path: str | Path, label_field: str, text_field: str = "text", **options: Any
) -> EvaluationReport:
    """``evaluate`` on a JSON-lines file; lines without a text or a label are skipped and counted."""
    read = _read_jsonl(path, label_field, text_field)
    if not read.labels:
        reasons = "; ".join(f"{n} {why}" for why, n in read.skipped.most_common()) or "the file is empty"
        raise ValueError(f"no line has both a text and a label in {label_field!r} ({reasons})")
    report = evaluate(read.texts, read.labels, **options)
    return replace(
        report,
        skipped=sum(read.skipped.values()),
        skip_reasons=tuple(read.skipped.most_common()),
        merged_spellings=tuple(read.merged),
    )
